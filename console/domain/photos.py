"""A photo attached to a case: the store keeps a reference to it (an http(s) address, or the
path of a file on the machine that took it down), never the image itself. A path is taken only
for a readable image of a kind a phone or a camera makes, below a size no photo needs to pass."""

from __future__ import annotations

import re

# A phone's camera makes 2–8 MB (JPEG or HEIC); a camera's still, a little more. A file larger
# than this is a video or an archive sent by mistake, not a photo of a site.
PHOTO_MAX_BYTES = 25 * 1024 * 1024
HEAD_BYTES = 16  # enough of a file's start to tell its kind

_URL = re.compile(r"https?://[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}


def is_address(reference: str) -> bool:
    """An http(s) address with a host: the photo is kept elsewhere, as it is."""
    return _URL.fullmatch(reference) is not None


def image_kind(head: bytes) -> str | None:
    """The kind of image a file's first bytes say it is (jpeg, png, webp, heic), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heic"
    return None

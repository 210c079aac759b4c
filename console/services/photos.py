"""The photo a handled case carries, checked where it is taken down, before anything is
written: an address is kept as given; a path must name a readable image of a photo's size,
and is kept as an absolute path, so that whoever opens the case later finds the same file."""

from __future__ import annotations

from pathlib import Path

from console.domain.errors import Invalid
from console.domain.photos import HEAD_BYTES, PHOTO_MAX_BYTES, image_kind, is_address


def photo_reference(given: str) -> str:
    """The reference to keep for the photo `given` (an address or a path), or Invalid."""
    given = given.strip()
    if is_address(given):
        return given
    if "://" in given:
        raise Invalid("error.photo_address", photo=given)
    path = Path(given).expanduser()
    try:
        if not path.is_file():
            raise Invalid("error.photo_missing", photo=given)
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as exc:
        raise Invalid("error.photo_unreadable", photo=given, detail=exc.strerror) from exc
    if size > PHOTO_MAX_BYTES:
        limit = PHOTO_MAX_BYTES // (1024 * 1024)
        raise Invalid("error.photo_too_big", photo=given, mb=limit)
    if image_kind(head) is None:
        raise Invalid("error.photo_not_image", photo=given)
    return str(path.resolve())

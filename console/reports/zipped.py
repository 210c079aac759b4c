"""docx and xlsx are zip files whose entries carry the time they were written: the same
bulletin written twice should be the same bytes (a chat group or a mail client then sees one
file, and a test can compare them), so every entry gets one fixed time."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

# The earliest time a zip entry can carry; also the files' own created and modified
# properties, which say nothing a bulletin's issuer line does not say better.
FIXED = datetime(1980, 1, 1)


def steady(data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry))
    return out.getvalue()

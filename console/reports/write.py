"""A bulletin written in the format asked for: the one door the CLI and the console use."""

from __future__ import annotations

from collections.abc import Callable

from console.domain.errors import Invalid
from console.reports.document import Document
from console.reports.write_docx import docx_bytes
from console.reports.write_text import as_json, comma_separated, markdown
from console.reports.write_xlsx import xlsx_bytes

WRITERS: dict[str, Callable[[Document], bytes]] = {
    "md": markdown,
    "docx": docx_bytes,
    "xlsx": xlsx_bytes,
    "csv": comma_separated,
    "json": as_json,
}
FORMATS = tuple(WRITERS)


def write(doc: Document, fmt: str) -> bytes:
    """The file's bytes; Invalid (nothing written) for a format there is no writer for."""
    writer = WRITERS.get(fmt)
    if writer is None:
        raise Invalid("error.report_format", fmt=fmt, formats=", ".join(FORMATS))
    return writer(doc)

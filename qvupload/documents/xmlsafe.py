"""Safe parsing of the small XML items QlikView stores in documents and QVD headers.

Rules: a size cap before parsing; no DTD at all (so no entity expansion, internal or external);
raw control characters, which QlikView writes into some ``RawValue`` elements, are replaced
before parsing instead of failing the whole document.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from qvupload.documents.errors import DocumentError
from qvupload.i18n import _

# C0 controls other than TAB, LF and CR are not allowed in XML 1.0: they become spaces.
_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_SPACE_CONTROLS = bytes.maketrans(_CONTROLS, b" " * len(_CONTROLS))
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class XmlItemError(DocumentError):
    """An embedded XML item is not well-formed or not allowed."""


def parse_xml(data: bytes, *, what: str, cap: int) -> ET.Element:
    if len(data) > cap:
        raise XmlItemError(
            _("its %(what)s is larger than the %(cap)s bytes allowed") % {"what": what, "cap": f"{cap:,}"}
        )
    if b"<!" in data and _DTD.search(data):
        raise XmlItemError(_("its %(what)s declares a DTD, which is not allowed") % {"what": what})
    cleaned = clean_controls(data)
    try:
        return ET.fromstring(cleaned)
    except ET.ParseError as exc:
        raise XmlItemError(_("its %(what)s is not well-formed XML (%(exc)s)") % {"what": what, "exc": exc}) from exc


def clean_controls(data: bytes) -> bytes:
    """``data`` with the control characters XML does not allow made spaces."""
    return data.translate(_SPACE_CONTROLS)


def child_text(element: ET.Element | None, tag: str) -> str:
    """Stripped text of a direct child, or '' when absent."""
    if element is None:
        return ""
    found = element.find(tag)
    if found is None or found.text is None:
        return ""
    return found.text.strip()


def as_bool(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return None


def as_int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None

"""The few fields the reader needs from DocumentInfo.xml and DocumentSummary.xml, without a tree.

Building an ElementTree of a summary costs more than everything else a scan does per document.
QlikView writes these items plainly: leaf elements without attributes, the five XML entities.
Where an item is that plain, the fields are taken with regular expressions that give what the
tree would give (same elements, same text: entities decoded, line ends normalised, stripped);
where it is not (comments, CDATA, a DTD, attributes, empty-element tags, nested blocks, another
encoding, an unknown entity) these functions return None and the caller parses the tree
(:func:`qvupload.documents.xmlsafe.parse_xml`, which also refuses DTDs). Tests compare both on
every sample document.
"""

from __future__ import annotations

import re

_PLAIN_HEAD = re.compile(rb'^(?:\xef\xbb\xbf)?\s*(?:<\?xml(?:\s+\w+\s*=\s*"[^"]*")*\s*\?>)?\s*<(\w+)>')
_ENCODING = re.compile(rb'encoding\s*=\s*"([^"]*)"')
_LEAF = re.compile(rb"<(\w+)>([^<]*)</\1>")
_LEAVES = re.compile(rb"(?:\s*<(\w+)>[^<]*</\1>)*\s*")
_ENTITY = re.compile(rb"&(#[0-9]+|#x[0-9A-Fa-f]+|amp|lt|gt|quot|apos);")
_ANY_AMP = re.compile(rb"&")
_TAG = re.compile(rb"<(/?)(\w+)>")
_INTERNAL = re.compile(rb"<DocumentInternalInfo>(.*?)</DocumentInternalInfo>", re.S)
_TABLE = re.compile(rb"<TableDescription>(.*?)</TableDescription>", re.S)
_LINEAGE = re.compile(rb"<LineageInfo>(.*?)</LineageInfo>", re.S)
INFO_WANTED = frozenset({b"UtcLastReloadTimeISO", b"LastReloadTimeISO", b"HasSectionAccess", b"WindowTitle"})
SUMMARY_ROOT_WANTED = frozenset({b"GenerateLogfile", b"Title"})
_NAMED = {b"amp": "&", b"lt": "<", b"gt": ">", b"quot": '"', b"apos": "'"}


class _NotPlain(Exception):
    """Something the expressions do not cover: the tree decides."""


def _plain(data: bytes, root: bytes) -> bool:
    """True when ``data`` is a plain item whose root element is ``root``."""
    if b"<!" in data or b"/>" in data:
        return False
    head = _PLAIN_HEAD.match(data)
    if head is None or head.group(1) != root or b"<?" in data[head.end() :]:
        return False
    encoding = _ENCODING.search(data, 0, head.end())
    if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        return False
    amps = len(_ANY_AMP.findall(data)) if b"&" in data else 0
    return amps == len(_ENTITY.findall(data)) if amps else True


def _text(raw: bytes) -> str:
    if b"\r" in raw:  # XML line ends: before character references, which may stand for a CR
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b"&" in raw:
        raw = _ENTITY.sub(_entity, raw)
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise _NotPlain from None


def _entity(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    if not name.startswith(b"#"):
        return _NAMED[name].encode("utf-8")
    code = int(name[2:], 16) if name.startswith(b"#x") else int(name[1:])
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return chr(code).encode("utf-8")
    raise _NotPlain  # not an XML character: the tree reports it


def _leaves(block: bytes, *, first_wins: bool) -> dict[bytes, str] | None:
    """The leaf children of a block (None when it holds anything but leaves)."""
    if not _LEAVES.fullmatch(block):
        return None
    fields: dict[bytes, str] = {}
    for tag, raw in _LEAF.findall(block):
        if first_wins and tag in fields:
            continue
        fields[tag] = _text(raw)
    return fields


def info_fields(data: bytes) -> dict[str, str] | None:
    """DocumentInternalInfo's fields of a plain DocumentInfo.xml; None: parse the tree instead."""
    if not _plain(data, b"DocumentInfo"):
        return None
    blocks = _INTERNAL.findall(data)
    if len(blocks) != 1:
        return None
    try:
        fields = _direct_leaves(blocks[0], INFO_WANTED, 1)
    except _NotPlain:
        return None
    return {tag.decode("ascii"): text for tag, text in fields.items()}


def _direct_leaves(data: bytes, wanted: frozenset[bytes], level: int) -> dict[bytes, str]:
    """Texts of the leaf elements at nesting ``level`` named in ``wanted`` (the first of each)."""
    found: dict[bytes, str] = {}
    depth = 0
    for match in _TAG.finditer(data):
        closing, tag = match.group(1), match.group(2)
        if closing:
            depth -= 1
            continue
        depth += 1
        if depth == level and tag in wanted and tag not in found:
            leaf = _LEAF.match(data, match.start())
            if leaf is None:
                raise _NotPlain
            found[tag] = _text(leaf.group(2))
            if len(found) == len(wanted):
                break
    return found


def summary_fields(
    data: bytes,
) -> tuple[list[dict[bytes, str]], list[str], dict[bytes, str]] | None:
    """Table fields, lineage discriminators and root fields (GenerateLogfile, Title) of a plain
    DocumentSummary.xml; None: parse the tree instead."""
    if not _plain(data, b"DocumentSummary"):
        return None
    try:
        return _summary(data)
    except _NotPlain:
        return None


def _summary(data: bytes) -> tuple[list[dict[bytes, str]], list[str], dict[bytes, str]] | None:
    tables: list[dict[bytes, str]] = []
    for block in _TABLE.findall(data):
        fields = _leaves(block, first_wins=False)
        if fields is None or b"<TableDescription>" in block:
            return None
        tables.append(fields)
    sources: list[str] = []
    for block in _LINEAGE.findall(data):
        fields = _leaves(block, first_wins=True)
        if fields is None:
            return None
        sources.append(fields.get(b"Discriminator", ""))
    return tables, sources, _direct_leaves(data, SUMMARY_ROOT_WANTED, 2)

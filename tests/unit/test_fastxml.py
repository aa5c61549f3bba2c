"""The tree-free extraction gives exactly what the XML tree gives, and steps aside where it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest

from qvupload.documents.container import open_container
from qvupload.documents.facts import INFO_ITEM, SUMMARY_ITEM, info_of, summary_of
from qvupload.documents.fastxml import info_fields, summary_fields


def _items(path: Path) -> tuple[bytes | None, bytes | None]:
    with open_container(path) as doc:
        doc.load_directory()
        return doc.read_item(INFO_ITEM, 1 << 20), doc.read_item(SUMMARY_ITEM, 1 << 23)


def test_same_fields_as_the_tree_on_every_sample(samples: Path) -> None:
    plain = 0
    for path in sorted(samples.glob("*.qv[wf]")):
        info, summary = _items(path)
        assert info is not None and summary is not None, path.name
        assert info_of(info, path) == info_of(info, path, fast=False), path.name
        assert summary_of(summary) == summary_of(summary, fast=False), path.name
        plain += info_fields(info) is not None and summary_fields(summary) is not None
    assert plain >= 10  # the fast way serves real documents (not only the fallback)


SUMMARY = (
    b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<DocumentSummary>\r\n'
    b" <Sheet><Title>Not this one</Title></Sheet>\r\n <GenerateLogfile>true</GenerateLogfile>\r\n"
    b" <Title> Sales &amp; Margin &#x263A; </Title>\r\n"
    b" <LineageInfo><Discriminator>C:\\data\\a.qvd;\r\nB</Discriminator><Statement></Statement></LineageInfo>\r\n"
    b" <TableDescription><Name>T&lt;1&gt;</Name><IsSystem>false</IsSystem><NoOfRows>7</NoOfRows></TableDescription>\r\n"
    b" <TableDescription><Name>$$SysTable 1</Name><IsSystem>true</IsSystem>"
    b"<NoOfRows>5</NoOfRows></TableDescription>\r\n"
    b"</DocumentSummary>\r\n"
)


def test_entities_line_ends_and_nesting_match_the_tree() -> None:
    assert summary_fields(SUMMARY) is not None
    fast, tree = summary_of(SUMMARY), summary_of(SUMMARY, fast=False)
    assert fast == tree
    assert fast.title == "Sales & Margin \u263a" and fast.table_names == ("T<1>",) and fast.rows == 7
    assert fast.data_sources == ("C:\\data\\a.qvd;\nB",) and fast.generate_logfile is True


@pytest.mark.parametrize(
    "change",
    [
        (b"<Title>", b"<!-- c --><Title>"),  # a comment
        (b"<NoOfRows>7", b"<NoOfRows><![CDATA[7]]>"),  # CDATA
        (b"<Name>T", b'<Name lang="en">T'),  # an attribute
        (b"<Statement></Statement>", b"<Statement/>"),  # an empty-element tag
        (b"&amp;", b"&nbsp;"),  # an entity XML does not define
        (b'encoding="UTF-8"', b'encoding="ISO-8859-1"'),  # another encoding
        (b"<IsSystem>false</IsSystem>", b"<IsSystem><B>false</B></IsSystem>"),  # a nested element
    ],
)
def test_anything_unusual_goes_to_the_tree(change: tuple[bytes, bytes]) -> None:
    altered = SUMMARY.replace(*change, 1)
    assert summary_fields(altered) is None
    try:
        expected = summary_of(altered, fast=False)
    except Exception as exc:  # the tree refuses it: so does the reader
        with pytest.raises(type(exc)):
            summary_of(altered)
    else:
        assert summary_of(altered) == expected

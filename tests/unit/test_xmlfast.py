"""The tree-free summary reader (xmlfast) gives exactly ElementTree's facts, or declines.

Every sample document's summary is read both ways, and so are generated items: QlikView's shape
and everything around it that the reader must decline or read the same (nesting, attributes,
empty elements, entities and character references, CR LF, comments, CDATA, namespaces, damage).
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from qvupload.documents import facts, xmlfast
from qvupload.documents.container import open_container
from qvupload.documents.errors import DocumentError
from qvupload.documents.xmlsafe import parse_xml

DECLARATION = '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
CAP = facts.SUMMARY_CAP
HEADER = "<GenerateLogfile>true</GenerateLogfile>\r\n <Title>T</Title>\r\n <Author></Author>"  # QlikView's first fields


def tree_facts(raw: bytes) -> object:
    """What ElementTree gives, or the error it raises (as the reader has always read it)."""
    try:
        return facts._summary_facts(parse_xml(raw, what="s", cap=CAP))
    except DocumentError:
        return "not read"


def fast_facts(raw: bytes) -> object:
    found = xmlfast.summary_fields(raw, CAP)
    return None if found is None else facts._summary(*found)


def test_every_sample_summary_is_read_without_a_tree_and_the_same(samples: Path) -> None:
    documents = sorted(samples.glob("*.qv[wf]"))
    assert len(documents) >= 10
    large = 0
    for path in documents:
        with open_container(path) as doc:
            doc.load_directory()
            raw = doc.read_item(facts.SUMMARY_ITEM, CAP)
        assert raw is not None
        assert fast_facts(raw) == tree_facts(raw), path.name  # none declines: QlikView's own shape
        large += len(raw) >= xmlfast.LARGE
        assert facts.summary_of(raw) == tree_facts(raw)
    assert large >= 5  # most real summaries take the tree-free path


LEAF_TAGS = ["Name", "IsSystem", "NoOfRows", "Discriminator", "Title", "GenerateLogfile", "Comment", "X"]
TEXTS = ["", " ", "T0", "true", " false ", "12", "$$SysTable 1", "a &amp; b", "&lt;x&gt;", "&#65;&#x42;"]
TEXTS += ["line\r\nend", "cr\ronly", "tab\there", "q &quot;x&quot; &apos;y&apos;", "x > y", "é ü 中", "&#13;"]
texts = st.sampled_from(TEXTS)


@st.composite
def leaf(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(LEAF_TAGS))
    form = draw(st.sampled_from(["pair", "pair", "pair", "empty", "attr", "spaced"]))
    text = draw(texts)
    if form == "empty":
        return f"<{tag}/>"
    if form == "attr":
        return f'<{tag} a="1">{text}</{tag}>'
    if form == "spaced":
        return f"<{tag} >{text}</{tag}>"
    return f"<{tag}>{text}</{tag}>"


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tag = st.sampled_from(["TableDescription", "LineageInfo", "Sheet", "Fields", "TableDescription"])
    glue = st.sampled_from(["", "\n ", "\r\n  ", " text "])
    return st.builds(
        lambda t, kids, g, attr: f"<{t}{attr}>{g}{g.join(kids)}{g}</{t}>",
        tag,
        st.lists(children, max_size=5),
        glue,
        st.sampled_from(["", "", "", ' id="1"', ' xmlns="urn:x"']),
    )


nodes = st.recursive(leaf(), element, max_leaves=12)
extras = st.sampled_from(
    [
        "",
        "",
        "",
        "<!-- <TableDescription><Name>c</Name></TableDescription> -->",
        "<![CDATA[<Name>d</Name>]]>",
        "<?pi x?>",
    ]
)


@st.composite
def summary(draw: st.DrawFn) -> bytes:
    top = [HEADER] if draw(st.integers(0, 9)) < 7 else []  # QlikView's own first fields, most of the time
    top += draw(st.lists(leaf(), max_size=3))
    body = draw(st.lists(nodes, max_size=6))
    glue = draw(st.sampled_from(["\n ", "\r\n ", ""]))
    text = f"{DECLARATION}\r\n<DocumentSummary>{glue}{glue.join(top + body)}{draw(extras)}{glue}</DocumentSummary>\r\n"
    raw = text.encode()
    damage = draw(st.sampled_from(["none", "none", "none", "cut", "control", "stray"]))
    if damage == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif damage == "control":
        raw = raw.replace(b"T0", b"T\x010", 1)
    elif damage == "stray":
        raw = raw.replace(b"</", b"<", 1)
    return raw


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary())
def test_generated_summaries_read_the_same_or_decline(raw: bytes) -> None:
    fast = fast_facts(raw)
    event("read without a tree" if fast is not None else "declined")
    if fast is not None:
        assert fast == tree_facts(raw)


def test_many_generated_summaries_take_the_tree_free_path_and_agree() -> None:
    """The comparison above means something only where examples are read without a tree: drawn
    here with a seeded generator from the same parts, most of QlikView's shape, each compared."""
    rng = random.Random(20261201)

    def node(depth: int) -> str:
        if depth > 2 or rng.random() < 0.6:
            tag, text = rng.choice(LEAF_TAGS), rng.choice(TEXTS)
            return rng.choice([f"<{tag}>{text}</{tag}>"] * 4 + [f"<{tag}/>", f'<{tag} a="1">{text}</{tag}>'])
        tag = rng.choice(["TableDescription", "LineageInfo", "Sheet", "TableDescription"])
        glue = rng.choice(["\r\n  ", "\n", ""])
        return f"<{tag}>{glue}{glue.join(node(depth + 1) for _ in range(rng.randint(0, 5)))}{glue}</{tag}>"

    read = 0
    for _ in range(300):
        body = "\r\n ".join(node(0) for _ in range(rng.randint(0, 8)))
        raw = f"{DECLARATION}\r\n<DocumentSummary>\r\n {HEADER}\r\n {body}\r\n</DocumentSummary>".encode()
        fast = fast_facts(raw)
        if fast is not None:
            read += 1
            assert fast == tree_facts(raw), raw
    assert read >= 60, read


@pytest.mark.parametrize(
    "body, declines",
    [
        ("<TableDescription><Name>A</Name><IsSystem>false</IsSystem><NoOfRows>3</NoOfRows></TableDescription>", False),
        ("<Sheet><TableDescription><Name>deep</Name></TableDescription></Sheet>", False),  # any depth, as iter()
        ("<TableDescription><Fields><Name>F</Name></Fields><Name>T</Name></TableDescription>", True),  # not flat
        ('<TableDescription a="1"><Name>T</Name></TableDescription>', True),
        ("<TableDescription><Name/></TableDescription>", True),
        ("<!-- <TableDescription><Name>c</Name></TableDescription> -->", True),
        ('<X xmlns="urn:q"><TableDescription><Name>n</Name></TableDescription></X>', True),  # another namespace
        ("<TableDescription><Name>a&amp;b&#x43;</Name></TableDescription>", False),
        ("<TableDescription><Name>a &nbsp; b</Name></TableDescription>", True),  # undefined entity: not well-formed
    ],
)
def test_shapes_read_or_declined(body: str, declines: bool) -> None:
    raw = f"{DECLARATION}\r\n<DocumentSummary>\r\n {HEADER}\r\n {body}\r\n</DocumentSummary>".encode()
    fast = fast_facts(raw)
    assert (fast is None) is declines
    if fast is not None:
        assert fast == tree_facts(raw)


def test_top_level_fields_are_the_first_direct_children() -> None:
    """A Title inside a sheet is not the document's; one after a child with children may be: declined."""
    later = "<Author>a</Author><Sheet><Title>Main</Title></Sheet><Title>Doc</Title>"
    raw = f"{DECLARATION}<DocumentSummary>{later}</DocumentSummary>".encode()
    assert fast_facts(raw) is None and tree_facts(raw) != "not read"
    first = "<GenerateLogfile>false</GenerateLogfile><Title>Doc</Title><Sheet><Title>Main</Title></Sheet>"
    raw = f"{DECLARATION}<DocumentSummary>{first}</DocumentSummary>".encode()
    fast = fast_facts(raw)
    assert fast is not None and fast == tree_facts(raw)
    assert isinstance(fast, facts._Summary) and fast.title == "Doc" and fast.generate_logfile is False
    assert ET.fromstring(raw).findtext("Title") == "Doc"

"""The subset of SCIM filters (RFC 7644 3.4.2.2) the Users and Groups APIs accept here.

``attr op "value"`` with ``eq``, ``ne``, ``co`` and ``sw``, joined by ``and`` / ``or`` and
grouped with parentheses. Attribute names are matched as given (``email``, ``assignedGroups.id``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_TOKEN = re.compile(r'\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|([A-Za-z_][\w.]*)|(\S+))')
OPS = {"eq", "ne", "co", "sw"}

Predicate = Callable[[Callable[[str], list[str]]], bool]


class FilterError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        if m.group(1):
            out.append(("(", "("))
        elif m.group(2):
            out.append((")", ")"))
        elif m.group(3) is not None:
            out.append(("str", m.group(3).replace('\\"', '"')))
        elif m.group(4):
            out.append(("word", m.group(4)))
        elif m.group(5):
            raise FilterError(f"unexpected {m.group(5)!r} in the filter")
    return out


def _either(a: Predicate, b: Predicate) -> Predicate:
    return lambda get: a(get) or b(get)


def _both(a: Predicate, b: Predicate) -> Predicate:
    return lambda get: a(get) and b(get)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.t = tokens
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self) -> tuple[str, str]:
        if self.i >= len(self.t):
            raise FilterError("the filter ends too early")
        self.i += 1
        return self.t[self.i - 1]

    def expr(self) -> Predicate:
        left = self.term()
        while (tok := self.peek()) and tok == ("word", "or"):
            self.take()
            left = _either(left, self.term())
        return left

    def term(self) -> Predicate:
        left = self.factor()
        while (tok := self.peek()) and tok == ("word", "and"):
            self.take()
            left = _both(left, self.factor())
        return left

    def factor(self) -> Predicate:
        kind, value = self.take()
        if kind == "(":
            inner = self.expr()
            if self.take()[0] != ")":
                raise FilterError("a parenthesis is not closed")
            return inner
        if kind != "word":
            raise FilterError(f"expected an attribute name, got {value!r}")
        attr = value
        op_kind, op = self.take()
        if op_kind != "word" or op.lower() not in OPS:
            raise FilterError(f"unsupported operator {op!r}; use eq, ne, co or sw")
        val_kind, operand = self.take()
        if val_kind not in ("str", "word"):
            raise FilterError("expected a value in double quotes")
        return _compare(attr, op.lower(), operand)


def _compare(attr: str, op: str, operand: str) -> Predicate:
    wanted = operand.lower()

    def check(get: Callable[[str], list[str]]) -> bool:
        values = [v.lower() for v in get(attr)]
        if op == "eq":
            return wanted in values
        if op == "ne":
            return wanted not in values
        if op == "co":
            return any(wanted in v for v in values)
        return any(v.startswith(wanted) for v in values)

    return check


def parse_filter(text: str) -> Predicate:
    parser = _Parser(_tokens(text))
    predicate = parser.expr()
    if parser.peek() is not None:
        raise FilterError(f"unexpected {parser.peek()[1]!r} in the filter")  # type: ignore[index]
    return predicate


def attribute_getter(record: dict[str, Any]) -> Callable[[str], list[str]]:
    """Values of a dotted attribute in a JSON record, lists flattened (``assignedGroups.id``)."""

    def get(path: str) -> list[str]:
        values: list[Any] = [record]
        for part in path.split("."):
            nxt: list[Any] = []
            for v in values:
                if isinstance(v, dict) and part in v:
                    item = v[part]
                    nxt.extend(item if isinstance(item, list) else [item])
            values = nxt
        return [str(v) for v in values if v is not None and not isinstance(v, dict | list)]

    return get

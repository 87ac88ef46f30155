"""Marked totals on a page: a total carries `data-sum-of="NAME"`, the rows it adds up carry
`data-sum-part="NAME"`. `marked_sums(html)` reads both, so a test (and the portal walk) can say
that every total a user reads equals the sum of the rows that user reads."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str, str, list[str]]] = []  # (tag, kind, name, text parts)
        self.totals: dict[str, list[str]] = {}
        self.parts: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for kind in ("data-sum-of", "data-sum-part"):
            if attrs.get(kind):
                self.open.append((tag, kind, attrs[kind], []))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                _, kind, name, text = self.open.pop(i)
                target = self.totals if kind == "data-sum-of" else self.parts
                target.setdefault(name, []).append("".join(text))
                break

    def handle_data(self, data):
        for entry in self.open:
            entry[3].append(data)


def number(text: str) -> Decimal:
    match = NUMBER.search(text)
    if not match:
        return Decimal(0)  # "—" for an empty figure counts as nothing
    try:
        return Decimal(match.group().replace(",", ""))
    except InvalidOperation:
        return Decimal(0)


def marked_sums(markup: str) -> list[tuple[str, Decimal, Decimal]]:
    """(name, the total shown, the sum of its rows) for every marked total of the page."""
    collector = _Collector()
    collector.feed(markup)
    out = []
    for name, totals in collector.totals.items():
        rows = sum((number(t) for t in collector.parts.get(name, [])), Decimal(0))
        out.extend((name, number(t), rows) for t in totals)
    return out


def wrong_sums(markup: str) -> list[str]:
    """Every marked total that is not the sum of its rows, as text for an assertion message."""
    return [f"{name}：显示 {shown}，行合计 {rows}" for name, shown, rows in marked_sums(markup) if shown != rows]

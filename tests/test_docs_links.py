"""Every relative link of README.md and docs/ leads somewhere: the file exists in the repository,
and a `#section` of a Markdown page names one of that page's headings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text())
    return {anchor(m.group(1)) for m in re.finditer(r"^#+\s+(.+)$", text, re.M)}


def links(page: Path) -> list[str]:
    text = FENCE.sub("", page.read_text())
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    broken = []
    for target in links(page):
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists() or root not in file.parents:
            broken.append(f"{target}: no such file")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            broken.append(f"{target}: no heading #{fragment}")
    return broken


def test_the_pages_link_to_each_other():
    assert len(PAGES) >= 8
    assert sum(len(links(page)) for page in PAGES) >= 10


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_relative_link_resolves(page):
    assert broken_links(page) == []


def test_a_broken_link_and_a_missing_heading_are_found(tmp_path):
    page = tmp_path / "page.md"
    (tmp_path / "other.md").write_text("# Other\n\n## Backups and restore\n")
    page.write_text("[a](other.md#backups-and-restore) [b](missing.md) [c](other.md#nowhere)\n"
                    "[d](https://example.org) [e](../outside.md)\n")
    (tmp_path.parent / "outside.md").write_text("# Outside\n")
    found = [b.split(":")[0] for b in broken_links(page, root=tmp_path)]
    assert found == ["missing.md", "other.md#nowhere", "../outside.md"]

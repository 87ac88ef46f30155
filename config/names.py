"""People's names in the order a Chinese reader looks them up: by pinyin (张 after 王, 李
before 刘), not by character code. pypinyin holds the readings; a name's key is its syllables
in order, then the name itself so that homophones stay apart in a stable order."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def pinyin_key(name: str) -> tuple[str, str]:
    text = (name or "").strip()
    return " ".join(lazy_pinyin(text, style=Style.TONE3, errors="default")).lower(), text

"""What a person must never read on a page of the portal (the portal walk checks every page).

Each entry is (what it is, regular expression). Text inside an element marked `data-walk-allow`
(a login-name column of an accounts page, say) is left out before matching; use it sparingly.
"""

from __future__ import annotations

import re

# Demo login names: a page names a person by full name (and post), never by login.
DEMO_LOGINS = ["org", "clerk", "clerk2", "secretary", "first", "admin", "lead_branch", "lead_industry",
               "lead_ecology", "lead_safety", "lead_civility", "lead_urban_industry", "lead_urban_ecology",
               "lead_urban_civility", "leader", "tleader", "keysec"]

_NOT_WORD = r"(?<![A-Za-z0-9_.@/-])"
_NOT_WORD_AFTER = r"(?![A-Za-z0-9_@/-])"

RAW_TEXT_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("指标代码", re.compile(_NOT_WORD + r"(?:branch|industry|ecology|safety|civility)\.[a-z][a-z0-9_]+")),
    ("英文状态词", re.compile(
        _NOT_WORD + r"(?:draft|submitted|approved|returned|pending|published|live|rural|urban|open|closed|done|"
        r"failed|running|queued|active|inactive|organisation|lead_department|township_staff|village_secretary|"
        r"first_secretary|boolean|number|percent|ledger|provider|veto|weak_lax)" + _NOT_WORD_AFTER)),
    ("空值", re.compile(_NOT_WORD + r"(?:None|null|undefined|NaN|True|False)" + _NOT_WORD_AFTER)),
    ("登录名", re.compile(_NOT_WORD + "(?:" + "|".join(DEMO_LOGINS) + ")" + _NOT_WORD_AFTER)),
    ("模板残留", re.compile(r"\{\{|\{%|%\(\w+\)s")),
    ("英文系统代码", re.compile(_NOT_WORD + r"[a-z]+_[a-z_]+" + _NOT_WORD_AFTER)),
]

# A yes/no field's value, seen in a table column or a definition whose label asks a question.
YES_NO_LABEL = re.compile(r"^是否|是否.{0,8}$|[?？]$")
BARE_YES_NO = {"0", "1", "0.00", "1.00", "true", "false"}


def raw_text_findings(text: str) -> list[str]:
    """Every match of a pattern in the text, as '名称: …context…'."""
    found = []
    for name, pattern in RAW_TEXT_PATTERNS:
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 12), min(len(text), match.end() + 12)
            found.append(f"{name}: …{text[start:end].strip()}…".replace("\n", " "))
    return found

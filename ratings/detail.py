"""The per-indicator detail stored with each star result (`StarScore.indicators`), and how to read it.

It is written for every village, month, view and star (a province's month: 230,000 rows), so it is
stored compact, one list per indicator instead of one object with its key names (a county's star
details: 1.1 MB of JSON instead of 2.0 MB, written in 52 ms instead of 70 on the benchmark county):

    {"rows": [[code, value, points, max_points, met, veto, gap], ...], "to_earn": [code, ...]}

value, points, max_points and gap are decimal strings (value and gap null when there is none);
met and veto booleans; a row has an eighth item, true, when the provider answered "not applicable".
`to_earn` lists the indicators that, once met, would earn the star (`engine.what_would_earn`).

Rows written before (objects with these keys, inside {"rows": ...} or as a bare list) read the same:
every reader goes through `detail_rows` and `detail_to_earn`, which give each row as a dict with
the keys of ROW_KEYS (and "na": true where it applies).
"""

from __future__ import annotations

from typing import Any

ROW_KEYS = ("code", "value", "points", "max_points", "met", "veto", "gap")


def detail_rows(stored: Any) -> list[dict]:
    """The stored detail's rows as dicts (new ones: the caller may change them), in the standard's
    order; anything else than rows (an empty or malformed detail) gives no row."""
    rows = stored.get("rows") if isinstance(stored, dict) else stored
    result = []
    for row in rows if isinstance(rows, list) else ():
        if isinstance(row, dict):
            result.append(dict(row))
        elif isinstance(row, list) and len(row) >= len(ROW_KEYS):
            item = dict(zip(ROW_KEYS, row[:len(ROW_KEYS)], strict=True))
            if len(row) > len(ROW_KEYS) and row[len(ROW_KEYS)]:
                item["na"] = True
            result.append(item)
    return result


def detail_to_earn(stored: Any) -> list[str]:
    """The codes of the indicators that would earn the star, as stored (empty when none)."""
    to_earn = stored.get("to_earn") if isinstance(stored, dict) else None
    return [code for code in to_earn if isinstance(code, str)] if isinstance(to_earn, list) else []


def detail_expanded(stored: Any) -> dict:
    """The detail with every row as an object: what the API shows, whatever the stored form."""
    return {"rows": detail_rows(stored), "to_earn": detail_to_earn(stored)}

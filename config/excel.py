"""Excel output shared by every export: text that Excel must not run as a formula."""

from __future__ import annotations

from collections.abc import Iterable

# openpyxl stores a string that starts with "=" as a formula, and Excel runs +, -, @ too.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text that Excel will not run as a formula."""
    return "'" + value if value and value.startswith(FORMULA_PREFIXES) else value


def safe_row(values: Iterable) -> list:
    """A row for `worksheet.append`, its text cells made safe (numbers and dates kept as they are)."""
    return [safe_text(v) if isinstance(v, str) else v for v in values]

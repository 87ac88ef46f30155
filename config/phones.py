"""Mainland mobile numbers: 11 digits, 1 then 3–9 (the numbering plan's mobile blocks). Forms
and imports check them here, so a 10-digit number or a landline is refused everywhere alike."""

from __future__ import annotations

import re

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
MSG_MOBILE = "手机号应为11位数字，以13至19开头"

"""Demo step: the county's early warnings as the nightly refresh would leave them, so a fresh
demo shows them on the dashboards, the village pages and the meeting-room screen."""

from __future__ import annotations

from .services.warnings import warnings_refresh


def seed(*, rng, county, stdout):
    counts = warnings_refresh(county=county)
    stdout.write(f"  预警：新增 {counts.get('raised', 0)} 条，保持 {counts.get('kept', 0)} 条，"
                 f"解除 {counts.get('cleared', 0)} 条")
    return county

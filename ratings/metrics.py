"""The registry of metric providers: indicator values computed from other apps' records.

A provider is one set-based query for all villages of a scope. It lives in `ratings/providers/`,
one module per app whose records it reads (`collective_economy.py`, `first_secretaries.py`,
`branch_life.py`: ratings sits above those apps and reads them), and registers itself with
`@metric_provider(name, label)`; an indicator names it in `Indicator.provider`.
Adding a provider is one registered function. The modules are imported by
`RatingsConfig.ready()`.

Signature: provider(*, village_ids: Sequence[int] | None, year: int, month: int)
  -> dict[village_id, list[tuple[period, value]]]
where `village_ids=None` means every village, periods are months 1..month of `year`
(a yearly figure may be reported as period 12 or as the month it is known), and values are
Decimal, bool or `NOT_APPLICABLE` (full points, shown as 不适用). A provider runs one
set-based query whatever the scope.

Every provider answers as of the month's last day (the rule contract, docs/architecture.md): it counts only
what existed then and records dated in or before the month, so a record dated later never
changes a past month. Each provider's docstring says what "as of" means for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from .engine.types import NotApplicable

PeriodValues = list[tuple[int, Decimal | bool | NotApplicable | None]]
ProviderFunc = Callable[..., dict[int, PeriodValues]]

PROVIDER_MODULES = ["ratings.providers.collective_economy", "ratings.providers.first_secretaries",
                    "ratings.providers.branch_life", "ratings.providers.members",
                    "ratings.providers.service_centre"]


@dataclass(frozen=True)
class MetricProvider:
    name: str
    label: str
    func: ProviderFunc
    unit: str = ""
    # What a village the provider has no record of reads as (None: missing, which scores 0).
    # The scoring service fills it in for every village of the scope left out of the answer.
    absent: Decimal | bool | NotApplicable | None = None
    # How its value for a month can still change while the month runs (engine.running.Opening):
    # "days" counts days of the month, "events" counts the month's events, "amounts" sums the
    # month's amounts (incomes), "closed" none of these.
    opening: str = "closed"

    def __call__(self, *, village_ids: Sequence[int] | None, year: int, month: int) -> dict[int, PeriodValues]:
        return self.func(village_ids=village_ids, year=year, month=month)


_REGISTRY: dict[str, MetricProvider] = {}


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def previous_month(year: int, month: int) -> tuple[int, int]:
    """(year, month) of the month before: December of last year for January."""
    return (year - 1, 12) if month == 1 else (year, month - 1)


def month_end(year: int, month: int) -> dt.date:
    """The month's last day: what every provider answers "as of"."""
    return (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def metric_provider(name: str, label: str, unit: str = "",
                    absent: Decimal | bool | NotApplicable | None = None,
                    opening: str = "closed") -> Callable[[ProviderFunc], ProviderFunc]:
    def decorator(func: ProviderFunc) -> ProviderFunc:
        _REGISTRY[name] = MetricProvider(name=name, label=label, func=func, unit=unit, absent=absent,
                                         opening=opening)
        return func

    return decorator


def get_provider(name: str) -> MetricProvider:
    try:
        return _REGISTRY[name]
    except KeyError as exc:
        raise KeyError(f"unknown metric provider {name!r}") from exc


def provider_choices() -> list[tuple[str, str]]:
    return sorted(((p.name, p.label) for p in _REGISTRY.values()), key=lambda c: c[0])


def all_providers() -> dict[str, MetricProvider]:
    return dict(_REGISTRY)


# Reads that several providers of one gather make alike (the income figures serve three), kept
# for the duration of that gather only: outside `shared_reads()` nothing is kept.
_shared: ContextVar[dict | None] = ContextVar("provider_shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """While this is open, `shared_read` runs each distinct read once (the scoring gather)."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared_read(key: tuple, build: Callable[[], object]):
    """The value of `build()`, built once per key within the open `shared_reads()`. The key names
    the read and its arguments (a village id list as a tuple). Callers must not change it."""
    kept = _shared.get()
    if kept is None:
        return build()
    if key not in kept:
        kept[key] = build()
    return kept[key]

"""The registry of metric providers: indicator values computed from other apps' records.

A provider is one set-based query for all villages of a scope. It lives in the app that owns
the records (`projects/metrics.py`, `cadres/metrics.py`, `branches/metrics.py`) and registers
itself with `@metric_provider(name, label)`; an indicator names it in `Indicator.provider`.
Adding a provider is one registered function. The modules are imported by
`RatingsConfig.ready()`.

Signature: provider(*, village_ids: Sequence[int] | None, year: int, month: int)
  -> dict[village_id, list[tuple[period, value]]]
where `village_ids=None` means every village, periods are months 1..month of `year`
(a yearly figure may be reported as period 12 or as the month it is known), and values are
Decimal or bool. A provider must run a constant number of queries whatever the scope.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

PeriodValues = list[tuple[int, Decimal | bool | None]]
ProviderFunc = Callable[..., dict[int, PeriodValues]]

PROVIDER_MODULES = ["projects.metrics", "cadres.metrics", "branches.metrics"]


@dataclass(frozen=True)
class MetricProvider:
    name: str
    label: str
    func: ProviderFunc
    unit: str = ""

    def __call__(self, *, village_ids: Sequence[int] | None, year: int, month: int) -> dict[int, PeriodValues]:
        return self.func(village_ids=village_ids, year=year, month=month)


_REGISTRY: dict[str, MetricProvider] = {}


def metric_provider(name: str, label: str, unit: str = "") -> Callable[[ProviderFunc], ProviderFunc]:
    def decorator(func: ProviderFunc) -> ProviderFunc:
        _REGISTRY[name] = MetricProvider(name=name, label=label, func=func, unit=unit)
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

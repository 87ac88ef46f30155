"""A star's name as its village reads it: urban communities have their own names for three stars
(宜业兴业星, 共建共享星, 幸福和谐星). A template builtin (settings.TEMPLATES):
`{{ item.star|star_name:item.village }}`, or with a kind: `{{ code|star_name:"urban" }}`.
"""

from __future__ import annotations

from django import template

register = template.Library()


def kind_of(village_or_kind) -> str:
    if isinstance(village_or_kind, str):
        return village_or_kind
    return getattr(village_or_kind, "kind", "") or "rural"


@register.filter
def star_name(code, village_or_kind="rural") -> str:
    from ratings.selectors import star_names

    code = getattr(code, "code", code)
    return star_names(kind_of(village_or_kind)).get(code, code or "—")


@register.filter
def star_names_of(codes, village_or_kind="rural") -> str:
    """A list of star codes as names, joined with 、 ("—" when empty)."""
    names = [star_name(c, village_or_kind) for c in (codes or [])]
    return "、".join(names) or "—"


@register.filter
def star_heading(items, code) -> str:
    """The heading of a list of items of one star: its rural name, its urban name, or both when
    villages and communities share the list."""
    kinds = {kind_of(getattr(i, "village", None) or "rural") for i in items}
    if kinds == {"urban"}:
        return star_name(code, "urban")
    rural, urban = star_name(code, "rural"), star_name(code, "urban")
    return rural if kinds == {"rural"} or rural == urban else f"{rural}（社区：{urban}）"

"""A star's name as its village reads it: urban communities have their own names for three stars
(宜业兴业星, 共建共享星, 幸福和谐星). A template builtin (settings.TEMPLATES):
`{{ item.star|star_name:item.village }}`, or with a kind: `{{ code|star_name:"urban" }}`.
"""

from __future__ import annotations

from django import template

from cadres.models import region_kind, star_label

register = template.Library()


def kind_of(village_or_kind) -> str:
    return region_kind(village_or_kind)


@register.filter
def star_name(code, village_or_kind="rural") -> str:
    return star_label(code, village_or_kind)


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


@register.filter
def place_word(village_or_kind) -> str:
    """"社区" for a community, "村" for a rural village: 提交本{{ v|place_word }}, 本{{ v|place_word }}."""
    return "社区" if kind_of(village_or_kind) == "urban" else "村"

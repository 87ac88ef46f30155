"""How a person reads on a page: the full name, else the post held, never a login name; "—" when
the field is empty (a user may be deactivated or removed, a record may have been made by the system).

A template builtin (settings.TEMPLATES), so every template writes `{{ entry.entered_by|person }}`
and no template dereferences an optional user itself.
"""

from __future__ import annotations

from django import template
from django.db.models import Prefetch

register = template.Library()

EMPTY = "—"


def people_prefetch(*user_fields: str) -> list[Prefetch]:
    """What `person_name` reads for users without a full name (their posts and the posts' regions), fetched for every user of a list at once: `rows.prefetch_related(*people_prefetch(
    "acknowledged_by"))` names them in two queries however many there are, where each would
    otherwise cost a query for the posts and one for the region."""
    from cadres.models import Post

    posts = Post.objects.select_related("region")
    return [Prefetch(f"{field}__posts", queryset=posts) for field in user_fields]


def person_name(user, empty: str = EMPTY) -> str:
    if user is None or user == "":
        return empty
    if isinstance(user, str):  # a name typed in by hand (责任人, 验收人)
        return user.strip() or empty
    full_name = (getattr(user, "full_name", "") or "").strip()
    if full_name:
        return full_name
    posts = getattr(user, "posts", None)
    if posts is not None and getattr(user, "pk", None):
        post = next(iter(p for p in posts.all() if p.is_active), None)
        if post is not None:
            return str(post)
    return "系统管理员" if getattr(user, "is_superuser", False) else "未署名用户"


@register.filter
def person(user, empty: str = EMPTY) -> str:
    """`{{ x.by|person }}` → 钱专干; `{{ x.by|person:"系统" }}` names the empty case."""
    return person_name(user, empty)

"""Accounts: who may manage whose login, and every change to a login or its posts, audited.

The county organisation department manages every account of its county; township staff
manage the village accounts (village secretaries, first secretaries) of their own township
only. A login is disabled, never deleted, so records keep their author; a post is ended with
a date, never deleted, so "who was clerk of 城关镇 in March" stays answerable.

Over 400 lines as one module on purpose: every change to a login or a post goes through the same
manager rules and the same audit, kept together so no path skips either.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from config.phones import MOBILE_RE, MSG_MOBILE
from villages.models import Level, Region

from .hashers import OneTimePasswordHasher
from .models import ROLE_REGION_LEVEL, AccountEvent, Post, Role, User, split_star_key
from .scope import has_role, user_posts

MSG_NOT_MANAGER = "只有县委组织部或乡镇专干可以管理账号"
MSG_ROLE_NOT_ALLOWED = "乡镇专干只能为本乡镇的村（社区）开设村党支部书记或第一书记岗位"
MSG_REGION_OUT_OF_SCOPE = "区划“{name}”不在您的管理范围内"
MSG_USERNAME_TAKEN = "用户名“{username}”已被使用"
MSG_USERNAME_FORMAT = "用户名只能包含字母、数字和 . _ -，长度3至30位"
MSG_NAME_REQUIRED = "请填写姓名"
MSG_PHONE_FORMAT = MSG_MOBILE
MSG_POST_DUPLICATE = "该用户已担任此岗位"
MSG_POST_ALREADY_ENDED = "该岗位已结束"
MSG_POST_END_BEFORE_START = "结束日期不能早于开始日期（{start}）"
MSG_NOT_SELF = "不能停用自己的账号"
MSG_ALREADY_DISABLED = "该账号已停用"
MSG_ALREADY_ENABLED = "该账号已是启用状态"

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,30}$")
PHONE_RE = MOBILE_RE
# No 0/O, 1/l/I: the password is read off a screen or a printed sheet and typed by hand.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"

# Roles township staff may give, over villages of their own township.
TOWNSHIP_GRANTABLE = {Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY}


# --- who may manage whom -------------------------------------------------------------------


def _manager_posts(by) -> list[Post]:
    return [p for p in user_posts(by) if p.role in (Role.ORGANISATION, Role.TOWNSHIP_STAFF)]


def is_account_manager(by) -> bool:
    return bool(getattr(by, "is_superuser", False)) or bool(_manager_posts(by))


def is_county_manager(by) -> bool:
    return has_role(by, Role.ORGANISATION)


def managed_users(by) -> QuerySet[User]:
    """Users `by` may see on the accounts page (empty for a non-manager).

    County: every user with a post in the county, and users with no post at all (just created,
    or every post ended and removed by an admin). Township: users whose every post, running or
    ended, is a village post of the township; a user who also holds a township or county post
    is not theirs to manage.
    """
    if getattr(by, "is_superuser", False):
        return User.objects.all()
    posts = _manager_posts(by)
    if not posts:
        return User.objects.none()
    county = [p.region.prefix for p in posts if p.role == Role.ORGANISATION]
    if county:
        condition = Q(posts__isnull=True)
        for prefix in county:
            condition |= Q(posts__region__code__startswith=prefix)
        return User.objects.filter(condition, is_superuser=False).distinct()
    townships = [p.region.prefix for p in posts]
    inside = Q()
    for prefix in townships:
        inside |= Q(region__code__startswith=prefix)
    outside_users = Post.objects.exclude(inside & Q(region__level=Level.VILLAGE)).values("user_id")
    inside_users = Post.objects.filter(inside, region__level=Level.VILLAGE).values("user_id")
    return User.objects.filter(pk__in=inside_users, is_superuser=False).exclude(pk__in=outside_users)


def user_for_manager(*, by, pk: int) -> User:
    """The user `pk` if `by` may manage it; a 404 otherwise (outside the scope is never shown)."""
    if not is_account_manager(by):
        raise PermissionDenied(MSG_NOT_MANAGER)
    user = managed_users(by).filter(pk=pk).first()
    if user is None:
        raise Http404("账号不存在或不在您的管理范围内")
    return user


def grantable_regions(by) -> QuerySet[Region]:
    """Regions `by` may post someone to."""
    if getattr(by, "is_superuser", False):
        return Region.objects.filter(is_active=True)
    county = [p.region.prefix for p in _manager_posts(by) if p.role == Role.ORGANISATION]
    if county:
        return Region.objects.within(county).filter(is_active=True)
    townships = [p.region.prefix for p in _manager_posts(by)]
    return Region.objects.within(townships).filter(level=Level.VILLAGE, is_active=True)


def grantable_roles(by) -> list[tuple[str, str]]:
    if is_county_manager(by):
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value in TOWNSHIP_GRANTABLE]


def _check_may_grant(by, role: str, region: Region) -> None:
    if not is_account_manager(by):
        raise PermissionDenied(MSG_NOT_MANAGER)
    if not is_county_manager(by) and role not in TOWNSHIP_GRANTABLE:
        raise PermissionDenied(MSG_ROLE_NOT_ALLOWED)
    if not grantable_regions(by).filter(pk=region.pk).exists():
        raise PermissionDenied(MSG_REGION_OUT_OF_SCOPE.format(name=region.name))


def _check_may_manage(by, user: User) -> None:
    if not is_account_manager(by):
        raise PermissionDenied(MSG_NOT_MANAGER)
    if not managed_users(by).filter(pk=user.pk).exists():
        raise Http404("账号不存在或不在您的管理范围内")


# --- snapshots and the audit ---------------------------------------------------------------


def user_snapshot(user: User) -> dict:
    return {"username": user.username, "full_name": user.full_name, "phone": user.phone,
            "organisation": user.organisation, "is_active": user.is_active}


def post_snapshot(post: Post) -> dict:
    return {"post_id": post.pk, "role": post.role, "region": post.region.code, "region_name": post.region.name,
            "star": post.star_key, "department": post.department, "is_active": post.is_active,
            "start_date": post.start_date.isoformat() if post.start_date else "",
            "end_date": post.end_date.isoformat() if post.end_date else ""}


def audit(*, user: User, action: str, by, before: dict | None = None, after: dict | None = None) -> AccountEvent:
    return AccountEvent.objects.create(user=user, action=action, actor=by if getattr(by, "pk", None) else None,
                                       before=before or {}, after=after or {})


# --- passwords -----------------------------------------------------------------------------


def one_time_password() -> str:
    """Ten characters in two groups, easy to read aloud and type: e.g. "Kq7mP-x3Rt9"."""
    def part() -> str:
        return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(5))
    return f"{part()}-{part()}"


def _set_one_time_password(user: User) -> str:
    password = one_time_password()
    user.password = make_password(password, hasher=OneTimePasswordHasher.algorithm)
    user.must_change_password = True
    return password


# --- usernames -----------------------------------------------------------------------------


def username_validate(username: str) -> None:
    if not USERNAME_RE.match(username or ""):
        raise ValidationError({"username": MSG_USERNAME_FORMAT})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": MSG_USERNAME_TAKEN.format(username=username)})


def username_generate(*, role: str, region: Region, taken: set[str] | None = None,
                      existing: set[str] | None = None) -> str:
    """A username from the role and the region's code, unique: "zg419901001" for the first
    township clerk of 419901001000, "zg419901001-2" for the second; `taken` holds names planned
    in the same batch, `existing` every stored username (lower case) when a batch has read them."""
    prefix = {Role.ORGANISATION: "zzb", Role.LEAD_DEPARTMENT: "qt", Role.TOWNSHIP_STAFF: "zg",
              Role.VILLAGE_SECRETARY: "sj", Role.FIRST_SECRETARY: "dy"}[role]
    base = prefix + region.code[:{"county": 6, "township": 9}.get(region.level, 12)]
    taken = taken if taken is not None else set()
    if existing is None:
        existing = {u.lower() for u in User.objects.filter(username__istartswith=base)
                    .values_list("username", flat=True)}
    candidate, n = base, 1
    while candidate.lower() in existing or candidate.lower() in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate.lower())
    return candidate


def phone_validate(phone: str) -> None:
    if phone and not PHONE_RE.match(phone):
        raise ValidationError({"phone": MSG_PHONE_FORMAT})


# --- services ------------------------------------------------------------------------------


def _post_build(*, user: User, role: str, region: Region, star: str = "", department: str = "",
                start_date: dt.date | None = None) -> Post:
    """`star` is a star key: "industry" for the rural star, "urban:industry" for the community's."""
    try:
        kind, code = split_star_key(star or "")
    except ValueError as exc:
        raise ValidationError({"star": str(exc)}) from None
    post = Post(user=user, role=role, region=region, star=code, star_kind=kind, department=department or "",
                start_date=start_date or timezone.localdate(), is_active=True)
    post.full_clean(exclude=["user"], validate_constraints=False)
    return post


@transaction.atomic
def user_create(*, by, full_name: str, phone: str = "", organisation: str = "", username: str = "",
                role: str, region: Region, star: str = "", department: str = "",
                start_date: dt.date | None = None, audit_action: str = AccountEvent.Action.CREATE) -> tuple[User, str]:
    """Create a login with its first post and a one-time password; returns (user, password).

    1. `by` may give this role over this region; 2. name, phone and username checked (a
    username is generated from the post when none is given); 3. user, post and audit written;
    the password is returned once and stored only as a hash.
    """
    _check_may_grant(by, role, region)
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": MSG_NAME_REQUIRED})
    phone = (phone or "").strip()
    phone_validate(phone)
    username = (username or "").strip() or username_generate(role=role, region=region)
    username_validate(username)
    user = User(username=username, full_name=full_name, phone=phone, organisation=(organisation or "").strip())
    password = _set_one_time_password(user)
    post = _post_build(user=user, role=role, region=region, star=star, department=department, start_date=start_date)
    user.save()
    post.user = user
    post.save()
    audit(user=user, action=audit_action, by=by, after={**user_snapshot(user), "posts": [post_snapshot(post)]})
    return user, password


@transaction.atomic
def user_update(*, user: User, by, full_name: str, phone: str, organisation: str) -> User:
    _check_may_manage(by, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user_snapshot(user)
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": MSG_NAME_REQUIRED})
    phone = (phone or "").strip()
    phone_validate(phone)
    user.full_name, user.phone, user.organisation = full_name, phone, (organisation or "").strip()
    after = user_snapshot(user)
    if after != before:
        user.save(update_fields=["full_name", "phone", "organisation"])
        audit(user=user, action=AccountEvent.Action.UPDATE, by=by, before=before, after=after)
    return user


@transaction.atomic
def post_add(*, user: User, by, role: str, region: Region, star: str = "", department: str = "",
             start_date: dt.date | None = None) -> Post:
    _check_may_manage(by, user)
    _check_may_grant(by, role, region)
    post = _post_build(user=user, role=role, region=region, star=star, department=department, start_date=start_date)
    if Post.objects.filter(user=user, role=role, region=region, star=post.star, star_kind=post.star_kind,
                           is_active=True).exists():
        raise ValidationError(MSG_POST_DUPLICATE)
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:
        raise ValidationError(MSG_POST_DUPLICATE) from None
    audit(user=user, action=AccountEvent.Action.POST_ADD, by=by, after=post_snapshot(post))
    return post


@transaction.atomic
def post_end(*, post: Post, by, end_date: dt.date | None = None) -> Post:
    """End a post on `end_date` (default today). The post stays, with its dates, as history."""
    _check_may_manage(by, post.user)
    post = Post.objects.select_for_update().select_related("region").get(pk=post.pk)
    if not is_county_manager(by) and not getattr(by, "is_superuser", False):
        _check_may_grant(by, post.role, post.region)
    if not post.is_active:
        raise ValidationError(MSG_POST_ALREADY_ENDED)
    end_date = end_date or timezone.localdate()
    if post.start_date and end_date < post.start_date:
        raise ValidationError({"end_date": MSG_POST_END_BEFORE_START.format(start=post.start_date.isoformat())})
    before = post_snapshot(post)
    post.is_active, post.end_date = False, end_date
    post.save(update_fields=["is_active", "end_date"])
    audit(user=post.user, action=AccountEvent.Action.POST_END, by=by, before=before, after=post_snapshot(post))
    return post


def posts_end_for_regions(*, region_ids: list[int], by=None, end_date: dt.date | None = None) -> int:
    """End every post still running over regions that were deactivated (a village or township
    left out of the county's complete list, a township merged away): nobody keeps rights over a
    region that no longer exists. Each ended post is audited; a constant number of queries.
    Call inside the deactivation's transaction."""
    end_date = end_date or timezone.localdate()
    posts = list(Post.objects.filter(region_id__in=region_ids, is_active=True).select_related("region", "user"))
    events = []
    for post in posts:
        before = post_snapshot(post)
        post.is_active = False
        # A post starting after the day (a future post) ends on its first day.
        post.end_date = max(end_date, post.start_date) if post.start_date else end_date
        events.append(AccountEvent(user=post.user, action=AccountEvent.Action.POST_END,
                                   actor=by if getattr(by, "pk", None) else None,
                                   before=before, after=post_snapshot(post)))
    Post.objects.bulk_update(posts, ["is_active", "end_date"], batch_size=500)
    AccountEvent.objects.bulk_create(events, batch_size=500)
    return len(posts)


@transaction.atomic
def user_disable(*, user: User, by) -> User:
    """Disable a login at once: the user's sessions and API token stop working on their next
    request (the authentication backend refuses inactive users), and the token is removed."""
    _check_may_manage(by, user)
    if user.pk == getattr(by, "pk", None):
        raise ValidationError(MSG_NOT_SELF)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(MSG_ALREADY_DISABLED)
    before = user_snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_sessions(user)
    audit(user=user, action=AccountEvent.Action.DISABLE, by=by, before=before, after=user_snapshot(user))
    return user


@transaction.atomic
def user_enable(*, user: User, by) -> User:
    _check_may_manage(by, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(MSG_ALREADY_ENABLED)
    before = user_snapshot(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit(user=user, action=AccountEvent.Action.ENABLE, by=by, before=before, after=user_snapshot(user))
    return user


@transaction.atomic
def user_password_reset(*, user: User, by) -> str:
    """A new one-time password (returned once); the user must change it at the next login, and
    sessions opened with the old password end (the session hash follows the password)."""
    _check_may_manage(by, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    password = _set_one_time_password(user)
    user.save(update_fields=["password", "must_change_password"])
    _end_sessions(user)
    audit(user=user, action=AccountEvent.Action.PASSWORD_RESET, by=by, after={"must_change_password": True})
    return password


def password_changed(*, user: User) -> None:
    """After the user changed their own password: no change is forced any more; audited."""
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    user.must_change_password = False
    audit(user=user, action=AccountEvent.Action.PASSWORD_CHANGE, by=user, after={"must_change_password": False})


def _end_sessions(user: User) -> None:
    try:
        from rest_framework.authtoken.models import Token
    except ImportError:  # pragma: no cover - DRF is installed
        return
    Token.objects.filter(user=user).delete()


# --- reads ---------------------------------------------------------------------------------


def post_holders(*, region: Region, role: str, on: dt.date) -> list[User]:
    """Who held `role` over `region` on `on` (e.g. the township's clerk of a past month)."""
    return [p.user for p in Post.objects.held_on(on).filter(region=region, role=role)
            .select_related("user").order_by("start_date", "id")]


def region_level_for(role: str) -> str:
    return ROLE_REGION_LEVEL[role]


@transaction.atomic
def county_admin_create(*, county: Region, username: str, full_name: str = "") -> tuple[User, str]:
    """The organisation department's first account, made by `setup_county` (no actor: the
    installation itself); returns (user, one-time password)."""
    if county.level != Level.COUNTY:
        raise ValidationError("首个账号只能设在县一级")
    username = (username or "").strip()
    username_validate(username)
    user = User(username=username, full_name=(full_name or "").strip() or f"{county.name}委组织部",
                organisation=f"{county.name}委组织部")
    password = _set_one_time_password(user)
    user.save()
    post = Post.objects.create(user=user, role=Role.ORGANISATION, region=county, department="县委组织部",
                               start_date=timezone.localdate())
    audit(user=user, action=AccountEvent.Action.CREATE, by=None,
          after={**user_snapshot(user), "posts": [post_snapshot(post)]})
    return user, password

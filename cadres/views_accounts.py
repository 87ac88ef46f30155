"""The accounts page (/people/accounts/): list, create, posts, disable/enable, password reset.

Every row is looked up through `accounts.managed_users(request.user)`: an account outside the
manager's scope is a 404; an action the manager may not take (a role township staff cannot
give) is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.names import pinyin_key
from config.paging import paginate
from villages.models import Level, Region

from . import accounts
from .forms_accounts import AccountCreateForm, AccountEditForm, PostEndForm, PostFields
from .models import AccountEvent, Post, Role, User, variant_star_choices

PAGE_SIZE = 30
LABELS = {"username": "用户名", "full_name": "姓名", "phone": "手机号", "organisation": "工作单位",
          "is_active": "账号状态", "role": "角色", "region_name": "区划", "star": "牵头星", "department": "部门",
          "start_date": "任职开始", "end_date": "任职结束", "must_change_password": "须修改密码"}
ROLE_LABELS = dict(Role.choices)
# Audit events before the variant was recorded hold a bare code: the rural star.
STAR_LABELS = dict(variant_star_choices())


def _require_manager(user) -> None:
    if not accounts.is_account_manager(user):
        raise PermissionDenied(accounts.MSG_NOT_MANAGER)


def _townships(user):
    """Townships a manager may filter by."""
    regions = accounts.grantable_regions(user)
    if accounts.is_county_manager(user) or user.is_superuser:
        return regions.filter(level=Level.TOWNSHIP).order_by("code")
    codes = {code[:9] + "000" for code in regions.values_list("code", flat=True)}
    return Region.objects.filter(code__in=codes).order_by("code")


@login_required
@require_GET
def account_list(request):
    _require_manager(request.user)
    filters = {key: request.GET.get(key, "").strip() for key in ("township", "role", "status", "q")}
    users = accounts.managed_users(request.user)
    if filters["township"]:
        users = users.filter(posts__region__code__startswith=filters["township"][:9], posts__is_active=True)
    if filters["role"] in ROLE_LABELS:
        users = users.filter(posts__role=filters["role"], posts__is_active=True)
    if filters["status"] == "active":
        users = users.filter(is_active=True)
    elif filters["status"] == "disabled":
        users = users.filter(is_active=False)
    if filters["q"]:
        q = filters["q"]
        users = users.filter(Q(full_name__icontains=q) | Q(phone__icontains=q) | Q(username__icontains=q))
    # People by the pinyin of their names (one read of ids and names, then the page's rows).
    order = sorted(users.distinct().values_list("pk", "full_name", "username"),
                   key=lambda row: (pinyin_key(row[1] or row[2]), row[2]))
    page, query = paginate(request, [pk for pk, _, _ in order], PAGE_SIZE)
    found = User.objects.filter(pk__in=list(page.object_list)).prefetch_related(
        Prefetch("posts", queryset=Post.objects.filter(is_active=True).select_related("region"), to_attr="running"))
    place = {pk: i for i, pk in enumerate(page.object_list)}
    rows = sorted(found, key=lambda user: place[user.pk])
    return render(request, "cadres/accounts/list.html", {
        "page_obj": page, "rows": rows, "filters": filters, "querystring_without_page": query,
        "townships": _townships(request.user), "roles": accounts.grantable_roles(request.user)
        if not accounts.is_county_manager(request.user) else Role.choices,
        "can_import": accounts.is_county_manager(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    _require_manager(request.user)
    form = AccountCreateForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = accounts.user_create(
                by=request.user, full_name=data["full_name"], phone=data["phone"], organisation=data["organisation"],
                username=data["username"], role=data["role"], region=data["region"], star=data.get("star", ""),
                department=data.get("department", ""), start_date=data["start_date"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _show_password(request, user, password, created=True)
    return render(request, "cadres/accounts/create.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _show_password(request, user, password: str, *, created: bool):
    """The one-time password, shown once on this response and never stored in clear."""
    response = render(request, "cadres/accounts/password_issued.html", {
        "account": user, "password": password, "created": created})
    response["Cache-Control"] = "no-store"
    return response


def _detail_context(request, user, **forms) -> dict:
    posts = list(user.posts.select_related("region", "region__parent").order_by("-is_active", "-start_date", "-id"))
    events = list(AccountEvent.objects.filter(user=user).select_related("actor")[:100])
    return {
        "account": user, "posts": posts, "events": [(e, event_lines(e)) for e in events],
        "edit_form": forms.get("edit_form") or AccountEditForm(initial={
            "full_name": user.full_name, "phone": user.phone, "organisation": user.organisation}),
        "post_form": forms.get("post_form") or PostFields(by=request.user),
        "end_form": PostEndForm(),
        "is_self": user.pk == request.user.pk,
        "can_end": {p.pk for p in posts if p.is_active and _may_end(request.user, p)},
    }


def _may_end(by, post: Post) -> bool:
    if accounts.is_county_manager(by) or by.is_superuser:
        return True
    return post.role in accounts.TOWNSHIP_GRANTABLE and accounts.grantable_regions(by).filter(pk=post.region_id).exists()


@login_required
@require_GET
def account_detail(request, pk: int):
    user = accounts.user_for_manager(by=request.user, pk=pk)
    return render(request, "cadres/accounts/detail.html", _detail_context(request, user))


@login_required
@require_POST
def account_edit(request, pk: int):
    user = accounts.user_for_manager(by=request.user, pk=pk)
    form = AccountEditForm(request.POST)
    if form.is_valid():
        try:
            accounts.user_update(user=user, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "账号信息已保存")
            return redirect("cadres:account_detail", pk=user.pk)
    return render(request, "cadres/accounts/detail.html", _detail_context(request, user, edit_form=form), status=400)


@login_required
@require_POST
def post_add_view(request, pk: int):
    user = accounts.user_for_manager(by=request.user, pk=pk)
    form = PostFields(request.POST, by=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            accounts.post_add(user=user, by=request.user, role=data["role"], region=data["region"],
                              star=data.get("star", ""), department=data.get("department", ""),
                              start_date=data["start_date"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已新增岗位")
            return redirect("cadres:account_detail", pk=user.pk)
    elif "role" in form.errors and request.POST.get("role") in ROLE_LABELS:
        # A real role this manager may not give: refused, not merely invalid.
        raise PermissionDenied(accounts.MSG_ROLE_NOT_ALLOWED)
    return render(request, "cadres/accounts/detail.html", _detail_context(request, user, post_form=form), status=400)


@login_required
@require_POST
def post_end_view(request, post_pk: int):
    post = get_object_or_404(Post.objects.select_related("user", "region"), pk=post_pk)
    user = accounts.user_for_manager(by=request.user, pk=post.user_id)
    form = PostEndForm(request.POST)
    end_date = form.cleaned_data["end_date"] if form.is_valid() else None
    try:
        accounts.post_end(post=post, by=request.user, end_date=end_date)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已结束岗位：{post}")
    return redirect("cadres:account_detail", pk=user.pk)


@login_required
@require_POST
def account_disable(request, pk: int):
    return _toggle(request, pk, accounts.user_disable, "账号已停用，其登录会话已失效")


@login_required
@require_POST
def account_enable(request, pk: int):
    return _toggle(request, pk, accounts.user_enable, "账号已启用")


def _toggle(request, pk: int, action, success: str):
    user = accounts.user_for_manager(by=request.user, pk=pk)
    try:
        action(user=user, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("cadres:account_detail", pk=user.pk)


@login_required
@require_POST
def account_password_reset(request, pk: int):
    user = accounts.user_for_manager(by=request.user, pk=pk)
    password = accounts.user_password_reset(user=user, by=request.user)
    return _show_password(request, user, password, created=False)


def _value(key: str, value) -> str:
    if value in (None, ""):
        return "（空）"
    if key == "is_active":
        return "启用" if value else "停用"
    if key == "must_change_password":
        return "是" if value else "否"
    if key == "role":
        return ROLE_LABELS.get(value, str(value))
    if key == "star":
        return STAR_LABELS.get(value, str(value))
    return str(value)


def event_lines(event: AccountEvent) -> list[str]:
    """The event's before/after as readable lines: "手机号：13800000000 → 13900000000"."""
    before, after = event.before or {}, event.after or {}
    lines = []
    for key, label in LABELS.items():
        if key not in before and key not in after:
            continue
        old, new = before.get(key), after.get(key)
        if key in before and key in after:
            if old != new:
                lines.append(f"{label}：{_value(key, old)} → {_value(key, new)}")
        elif key in after and event.action in (AccountEvent.Action.CREATE, AccountEvent.Action.IMPORT,
                                               AccountEvent.Action.POST_ADD) and new not in (None, ""):
            lines.append(f"{label}：{_value(key, new)}")
    for post in after.get("posts", []):
        lines.append("岗位：" + post.get("region_name", "") + _value("role", post.get("role")))
    return lines

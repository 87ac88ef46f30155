"""Demo logins (one per role) and the county's first secretaries with their work teams."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from villages.models import Level, Region

from .models import (
    DispatchLevel,
    FirstSecretary,
    FirstSecretaryStatus,
    Post,
    Role,
    User,
    WorkTeamMember,
    split_star_key,
)
from .services import first_secretary_expire_terms

DEMO_PASSWORD = "Demo@2026"

LEAD_DEPARTMENTS = [
    ("branch", "县委组织部"),
    ("industry", "县农业农村局"),
    ("ecology", "县自然资源局"),
    ("safety", "县委政法委"),
    ("civility", "县委宣传部"),
]

DISPATCH_UNITS = {
    DispatchLevel.PROVINCE: ["省财政厅", "省交通运输厅", "省农业农村厅", "省卫生健康委", "省教育厅", "省商务厅"],
    DispatchLevel.CITY: ["市委组织部", "市发改委", "市住建局", "市水利局", "市人社局", "市税务局", "市供电公司"],
    DispatchLevel.COUNTY: ["县委办", "县政府办", "县农业农村局", "县教体局", "县卫健委", "县自然资源局",
                           "县人社局", "县市场监管局", "县公安局", "县法院", "县检察院", "县农商银行"],
}
GIVEN = "建国志强海军丽华秀英桂兰玉梅明亮文博晓东红霞永刚俊杰婷婷国庆卫东新民振华春燕国栋立新宏伟"


def person_name(rng: random.Random) -> str:
    from villages.demo import SURNAMES

    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
    return rng.choice(SURNAMES) + given


def demo_accounts(county: Region) -> list[dict]:
    """The demo logins: (username, full name, role, region code, star, department)."""
    township = Region.objects.filter(level=Level.TOWNSHIP, code__startswith=county.prefix).order_by("code")
    first_township, second_township = township[0], township[2]
    village = Region.objects.filter(level=Level.VILLAGE, parent=first_township, kind="rural").order_by("code").first()
    accounts = [
        {"username": "org", "full_name": "赵组织", "role": Role.ORGANISATION, "region": county, "star": "",
         "department": "县委组织部"},
        {"username": "clerk", "full_name": "钱专干", "role": Role.TOWNSHIP_STAFF, "region": first_township,
         "star": "", "department": f"{first_township.name}党建办"},
        {"username": "clerk2", "full_name": "孙专干", "role": Role.TOWNSHIP_STAFF, "region": second_township,
         "star": "", "department": f"{second_township.name}党建办"},
        {"username": "secretary", "full_name": "李书记", "role": Role.VILLAGE_SECRETARY, "region": village,
         "star": "", "department": ""},
        {"username": "first", "full_name": "周第一", "role": Role.FIRST_SECRETARY, "region": village,
         "star": "", "department": "县农业农村局"},
    ]
    for star, department in LEAD_DEPARTMENTS:
        accounts.append({"username": f"lead_{star}", "full_name": f"{department}审核员", "role": Role.LEAD_DEPARTMENT,
                         "region": county, "star": star, "department": department})
    return accounts


def accounts_create(accounts: list[dict]) -> Callable[[], str]:
    """Each demo account (a dict of `demo_accounts`) with its post, both made once; returns the
    demo password's hash, for another account made by the caller."""
    hashed: list[str] = []  # hashed once for every new account (Argon2 costs about 0.25 s a hash)

    def password() -> str:
        if not hashed:
            hashed.append(make_password(DEMO_PASSWORD))
        return hashed[0]

    for account in accounts:
        user, created = User.objects.get_or_create(
            username=account["username"],
            defaults={"full_name": account["full_name"], "organisation": account["department"]},
        )
        if created:
            user.password = password()
            user.save(update_fields=["password"])
        star_kind, star = split_star_key(account["star"])
        Post.objects.get_or_create(
            user=user, role=account["role"], region=account["region"], star=star, star_kind=star_kind,
            defaults={"department": account["department"]},
        )
    return password


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    accounts = demo_accounts(county)
    password = accounts_create(accounts)
    admin, created = User.objects.get_or_create(username="admin", defaults={"full_name": "系统管理员"})
    if created:
        admin.is_staff = admin.is_superuser = True
        admin.password = password()
        admin.save()
    _first_secretaries(rng, county)
    if stdout:
        stdout.write(f"  人员：{len(accounts) + 1} 个演示账号，{FirstSecretary.objects.filter(village__code__startswith=county.prefix).count()} 名第一书记")


def _first_secretaries(rng: random.Random, county: Region) -> None:
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix, kind="rural").order_by("code"))
    chosen = sorted(rng.sample(villages, min(100, len(villages))), key=lambda v: v.code)
    demo_village = Region.objects.get(posts__user__username="first", posts__role=Role.FIRST_SECRETARY)
    if demo_village not in chosen:
        chosen[0] = demo_village
    existing = set(FirstSecretary.objects.filter(village__in=chosen).values_list("village_id", flat=True))
    year = timezone.localdate().year
    new_rows, teams = [], []
    for index, village in enumerate(chosen):
        level = rng.choices(list(DISPATCH_UNITS), weights=[1, 2, 5])[0]
        # Two-year terms that began last year, so serving ones are still running.
        start = dt.date(year - 1, rng.choice([3, 4, 6]), 1)
        status = FirstSecretaryStatus.SERVING
        roll = rng.random()
        if index % 37 == 5:
            status = FirstSecretaryStatus.RECALLED
        elif roll < 0.03:
            status = FirstSecretaryStatus.ENDED
        if village == demo_village:
            status = FirstSecretaryStatus.SERVING
        name = person_name(rng)
        team = [(person_name(rng), rng.choice(DISPATCH_UNITS[level])) for _ in range(rng.randint(1, 2))]
        if village.pk in existing:
            continue
        fs = FirstSecretary(
            name=name, gender=rng.choice(["男", "男", "女"]), phone=f"139{rng.randint(10000000, 99999999)}",
            dispatch_unit=rng.choice(DISPATCH_UNITS[level]), dispatch_level=level, village=village,
            term_start=start, term_end=dt.date(start.year + 2, start.month, 1) if status == "serving" else start.replace(year=start.year + 1),
            status=status, recall_reason="在村时间不足，工作不到位" if status == FirstSecretaryStatus.RECALLED else "",
        )
        new_rows.append(fs)
        teams.append(team)
    FirstSecretary.objects.bulk_create(new_rows)
    WorkTeamMember.objects.bulk_create(
        WorkTeamMember(first_secretary=fs, name=n, unit=u) for fs, team in zip(new_rows, teams, strict=True) for n, u in team
    )
    _successors(county)
    # Terms past their end are over, as the daily beat task would have it.
    first_secretary_expire_terms(today=timezone.localdate())
    fs_user = User.objects.get(username="first")
    FirstSecretary.objects.filter(village=demo_village, user__isnull=True, status=FirstSecretaryStatus.SERVING).exclude(
        pk__in=FirstSecretary.objects.filter(user=fs_user).values("pk")
    ).update(user=fs_user, name=fs_user.full_name)


def _successors(county: Region) -> None:
    """A recalled first secretary is replaced, but not at once: his successor arrives two or
    three months after the recall, so the village goes without a first secretary for those
    months (不适用 on the branch star's first-secretary indicator). Each successor draws from
    a generator of his own village, so no other demo figure moves; one per village, once."""
    today = timezone.localdate()
    recalled = FirstSecretary.objects.filter(village__code__startswith=county.prefix,
                                             status=FirstSecretaryStatus.RECALLED).select_related("village")
    rows = []
    for fs in recalled.order_by("village__code"):
        rng = random.Random(f"{fs.village.code}-successor")
        start = (fs.term_end + dt.timedelta(days=rng.choice([61, 92]))).replace(day=1)
        level = rng.choices(list(DISPATCH_UNITS), weights=[1, 2, 5])[0]
        name, unit = person_name(rng), rng.choice(DISPATCH_UNITS[level])
        if start >= today or FirstSecretary.objects.filter(village=fs.village, term_start__gt=fs.term_end).exists():
            continue
        rows.append(FirstSecretary(
            name=name, gender=rng.choice(["男", "女"]), phone=f"139{rng.randint(10000000, 99999999)}",
            dispatch_unit=unit, dispatch_level=level, village=fs.village, term_start=start,
            term_end=start.replace(year=start.year + 2), status=FirstSecretaryStatus.SERVING,
        ))
    FirstSecretary.objects.bulk_create(rows)

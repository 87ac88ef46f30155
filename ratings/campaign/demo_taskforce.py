"""The demo county's five star task forces (and the first township's), and one joint
consultation a month this year whose measures became task items, the older ones closed.

Idempotent: a county with this year's task forces is left as it is."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from cadres.demo import LEAD_DEPARTMENTS, person_name
from cadres.models import URBAN_STAR_NAMES, StarCode, User, split_star_key
from cadres.models_taskforce import Department, TaskForce, TaskForceMember
from cadres.services_taskforce import Measure, consultation_record, departments_ensure
from ratings.demo_accounts import urban_lead_accounts
from villages.models import Level, Region

MEMBER_UNITS = {
    "branch": ["县委组织部", "县直机关工委", "县财政局"],
    "industry": ["县农业农村局", "县发展改革委", "县财政局", "县供销社", "县农商银行"],
    "ecology": ["县自然资源局", "县农业农村局", "县住建局", "市生态环境局分局"],
    "safety": ["县委政法委", "县公安局", "县司法局", "县信访局"],
    "civility": ["县委宣传部", "县文明办", "县民政局", "县妇联"],
}
MEASURES = {
    "branch": "规范三会一课记录", "industry": "理清合作社分红台账", "ecology": "完成坑塘沟渠清理",
    "safety": "补齐矛盾纠纷排查台账", "civility": "修订村规民约并公示",
}


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    from ratings.campaign.services.checklist import measure_complete

    today = timezone.localdate()
    year = today.year
    if TaskForce.objects.filter(region__code__startswith=county.prefix, year=year).exists():
        return
    township = Region.objects.filter(level=Level.TOWNSHIP, code__startswith=county.prefix).order_by("code").first()
    org = User.objects.get(username="org")
    members = []
    # The county's list of departments and units: the leads the standards name and the member units.
    from ratings.standard_defaults import RURAL, URBAN

    leads = [name for _code, _name, lead, _ in RURAL + URBAN for name in lead.split("、")]
    departments_ensure(county, [d for _s, d in LEAD_DEPARTMENTS] + leads
                       + [u for units in MEMBER_UNITS.values() for u in units])
    listed = {d.name: d for d in Department.objects.filter(county=county)}
    for star, department in LEAD_DEPARTMENTS:
        for region, lead in ((county, department), (township, f"{township.name}{StarCode(star).label[:2]}工作组")):
            force = TaskForce.objects.create(region=region, year=year, star=star, lead_department=lead,
                                             updated_by=org)
            if region == county:
                force.member_departments.set([listed[u] for u in MEMBER_UNITS[star]])
            units = MEMBER_UNITS[star] if region == county else [f"{township.name}党政办"]
            members += [TaskForceMember(task_force=force, name=person_name(rng), unit=unit,
                                        role="组长" if k == 0 else "成员") for k, unit in enumerate(units[:4])]
    # The community stars the urban standard gives to other departments have their own task forces.
    for account in urban_lead_accounts(county):
        kind, star = split_star_key(account["star"])
        if star in URBAN_STAR_NAMES:
            force = TaskForce.objects.create(region=county, year=year, star=star, star_kind=kind,
                                             lead_department=account["department"], updated_by=org)
            members.append(TaskForceMember(task_force=force, name=person_name(rng), unit=account["department"]
                                           .split("、")[0], role="组长"))
    TaskForceMember.objects.bulk_create(members)
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix).order_by("code"))
    secretary_village = Region.objects.filter(posts__user__username="secretary").first()
    secretary = User.objects.filter(username="secretary").first()
    meetings = 0
    for month in range(1, today.month + 1):
        date = min(dt.date(year, month, 25), today)
        stars = rng.sample(StarCode.values, 2)
        chosen = [secretary_village] if month == today.month and secretary_village else []
        chosen += rng.sample(villages, 2 - len(chosen))
        meeting = consultation_record(
            by=org, region=county, date=date, title=f"{month}月五星支部创建联席会商",
            attendees="县委组织部、" + "、".join(d for _, d in LEAD_DEPARTMENTS[1:]) + "及各乡镇党委组织委员",
            progress={s: f"{StarCode(s).label}本月推进有序，{rng.randint(3, 12)}个村补齐短板。" for s in StarCode.values},
            problems="部分村台账更新不及时；个别村集体经济收入增长慢。",
            measures=[Measure(star=s, village=v, title=MEASURES[s], owner_text="村党支部书记",
                              due_date=date + dt.timedelta(days=20)) for s, v in zip(stars, chosen, strict=True)])
        meetings += 1
        if month < today.month - 1 and secretary is not None:
            for item in meeting.measures.all():
                # Older measures were carried out; the village closed them (as the village's role).
                _close_as_village(item, measure_complete)
    if stdout:
        stdout.write(f"  创星专班：{TaskForce.objects.filter(year=year, region__code__startswith=county.prefix).count()} 个，"
                     f"联席会商 {meetings} 次")


def _close_as_village(item, measure_complete) -> None:
    from cadres.models import Post, Role

    post = Post.objects.active().filter(role=Role.VILLAGE_SECRETARY, region=item.village).select_related("user").first()
    if post is not None:
        measure_complete(item=item, by=post.user, note="已按期落实")
    else:  # a village without a secretary's login in the demo: closed as it would be, by the record
        from ratings.models import ItemStatus

        item.status, item.closed_at, item.closed_reason = ItemStatus.CLOSED, timezone.now(), "措施已落实"
        item.save(update_fields=["status", "closed_at", "closed_reason"])

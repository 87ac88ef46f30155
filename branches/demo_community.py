"""The demo county's communities' needs and resources (需求清单 / 资源清单): in every urban community
a few resources from stationed units, enterprises and social organisations, and this year's
residents' needs, most matched to a resource, many of them done (dated month by month, so the
共建共享 star's figures grow through the year), a few still open and one withdrawn. Runs before
the ratings' demo results, which read them through the `community_needs_done` provider.
Idempotent: a county whose communities already have needs is left as it is."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from villages.models import Kind, Level, Region

from .models_community import CommunityNeed, CommunityResource, NeedMatch, NeedStatus

RESOURCES = [
    ("县人民医院", "unit", "health", "每月一次进社区义诊"), ("县供电公司", "enterprise", "environment", "楼道线路安全检查"),
    ("县实验小学", "unit", "children", "寒暑假托管辅导"), ("爱心志愿者协会", "social_org", "elderly", "独居老人上门探访"),
    ("县司法局", "unit", "legal", "法律顾问每周坐班"), ("便民物业公司", "enterprise", "environment", "老旧小区保洁代管"),
    ("县人社局", "unit", "employment", "就业岗位推送和技能培训"), ("夕阳红助餐点", "social_org", "elderly", "老年助餐配送"),
    ("县文化馆", "unit", "culture", "广场舞和书法培训"), ("慈善总会", "social_org", "assistance", "困难家庭临时救助"),
]
NEEDS = {
    "health": ["高血压老人定期测量血压", "行动不便居民上门体检"], "environment": ["3号楼楼道照明损坏", "小区垃圾清运不及时"],
    "children": ["双职工家庭放学后托管", "留守儿童课业辅导"], "elderly": ["独居老人助餐", "高龄老人定期探访"],
    "legal": ["邻里漏水纠纷调解", "房屋租赁合同咨询"], "employment": ["下岗职工再就业培训", "高校毕业生求职指导"],
    "culture": ["广场舞场地协调", "老年书法班"], "assistance": ["大病家庭临时救助", "残疾人康复器具"],
}
RESIDENTS = ["3号楼居民", "老年协会", "居民代表", "网格员反映", "12345热线转办", ""]


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    communities = list(Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE, kind=Kind.URBAN,
                                             is_active=True).order_by("code"))
    if not communities or CommunityNeed.objects.filter(community__in=communities).exists():
        return
    today = timezone.localdate()
    jan1 = dt.date(today.year, 1, 1)
    resources = []
    for community in communities:
        for name, kind, category, description in rng.sample(RESOURCES, rng.randint(4, 6)):
            resources.append(CommunityResource(
                community=community, provider_name=name, provider_kind=kind, category=category, description=description,
                contact=f"联系人 {rng.choice('王李张刘陈杨赵黄')}老师", offered_on=min(today, jan1 + dt.timedelta(days=rng.randint(0, 60)))))
    CommunityResource.objects.bulk_create(resources)
    by_community: dict[int, list[CommunityResource]] = {}
    for r in resources:
        by_community.setdefault(r.community_id, []).append(r)
    needs, plans = [], []
    span = (today - jan1).days
    for community in communities:
        offered = by_community[community.pk]
        for n in range(rng.randint(6, 10)):
            resource = rng.choice(offered)
            raised = min(today, max(resource.offered_on, jan1 + dt.timedelta(days=rng.randint(0, max(span, 0)))))
            matched = raised + dt.timedelta(days=rng.randint(2, 15))
            done = matched + dt.timedelta(days=rng.randint(5, 30))
            status = NeedStatus.OPEN
            if n == 0:
                status = NeedStatus.CANCELLED
            elif done <= today and rng.random() < 0.75:
                status = NeedStatus.DONE
            elif matched <= today and rng.random() < 0.7:
                status = NeedStatus.MATCHED
            needs.append(CommunityNeed(community=community, title=rng.choice(NEEDS[resource.category]),
                                       category=resource.category, raised_on=raised, raised_by=rng.choice(RESIDENTS),
                                       status=status, cancelled_on=raised if status == NeedStatus.CANCELLED else None))
            plans.append((resource, matched, done))
    CommunityNeed.objects.bulk_create(needs)
    matches = [NeedMatch(need=need, resource=resource, matched_on=matched, note="社区协调对接",
                         done_on=done if need.status == NeedStatus.DONE else None,
                         done_note="居民反馈满意" if need.status == NeedStatus.DONE else "")
               for need, (resource, matched, done) in zip(needs, plans, strict=True)
               if need.status in (NeedStatus.MATCHED, NeedStatus.DONE)]
    NeedMatch.objects.bulk_create(matches)
    if stdout:
        done_count = sum(m.done_on is not None for m in matches)
        stdout.write(f"  需求与资源清单：{len(communities)} 个社区，资源 {len(resources)} 项，需求 {len(needs)} 件，"
                     f"对接 {len(matches)} 件，其中办结 {done_count} 件")

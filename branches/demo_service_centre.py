"""The demo county's service centres (党群服务中心): in every village a posted duty roster (挂牌值班)
of its cadres, most covering every weekday, a few only some days, some changed during the year;
and a year of errands run for residents (代办), most done within the promised days, some late, a
few still running, many marked by the resident. Runs before the ratings' demo results, which read
them through the `duty_days_covered` and `errands_done_in_time` providers. Idempotent: a county
whose villages already have a roster is left as it is."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from villages.models import Level, Region

from .models_pairing import DutyShift, Errand, ErrandCategory

CADRES = [("村党支部书记", "书记"), ("村委会副主任", "主任"), ("村会计", "会计"), ("村妇联主席", "主席"), ("村监委会主任", "主任")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
ERRANDS = {
    ErrandCategory.SOCIAL_SECURITY: ["代办养老保险资格认证", "代办城乡居民医保缴费", "代办医保异地备案"],
    ErrandCategory.CERTIFICATE: ["代办身份证换领预约", "代办残疾证年审", "代办老年人优待证"],
    ErrandCategory.CIVIL_AFFAIRS: ["代办低保年审材料", "代办临时救助申请", "代办高龄津贴申领"],
    ErrandCategory.LAND: ["代办宅基地确权资料", "代办土地流转合同备案"],
    ErrandCategory.AGRICULTURE: ["代办耕地地力保护补贴", "代办农机购置补贴申请"],
    ErrandCategory.OTHER: ["代办快递代收代寄", "代办水电费缴纳"],
}


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    villages = list(Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE, is_active=True)
                    .order_by("code"))
    if not villages or DutyShift.objects.filter(village__in=villages).exists():
        return
    today = timezone.localdate()
    jan1 = dt.date(today.year, 1, 1)
    year_ago = today - dt.timedelta(days=365)
    shifts, errands = [], []
    for village in villages:
        people = [(f"{rng.choice(SURNAMES)}{suffix}", title) for title, suffix in rng.sample(CADRES, 3)]
        phone = f"0371-6{rng.randint(100000, 999999)}"
        # most rosters cover the five weekdays; one in eight posts two days only
        days = [1, 2, 3, 4, 5] if rng.random() > 0.125 else rng.sample([1, 2, 3, 4, 5], 2)
        changed = rng.random() < 0.2 and today > jan1 + dt.timedelta(days=100)
        change_on = jan1 + dt.timedelta(days=rng.randint(60, 100)) if changed else None
        for weekday in days:
            name, title = people[(weekday - 1) % len(people)]
            if change_on:
                shifts.append(DutyShift(village=village, weekday=weekday, person=name, title=title, phone=phone,
                                        valid_from=year_ago, valid_to=change_on - dt.timedelta(days=1)))
                name, title = people[weekday % len(people)]
            shifts.append(DutyShift(village=village, weekday=weekday, person=name, title=title, phone=phone,
                                    valid_from=change_on or year_ago))
        punctual = rng.choice([0.95, 0.9, 0.8, 0.6])
        for _ in range(rng.randint(12, 30)):
            category = rng.choice(list(ERRANDS))
            requested = year_ago + dt.timedelta(days=rng.randint(0, 365))
            promised = rng.choice([3, 5, 7, 10])
            took = rng.randint(1, promised) if rng.random() < punctual else promised + rng.randint(1, 10)
            done = requested + dt.timedelta(days=took)
            done = done if done <= today else None
            mark = rng.choice([3, 3, 3, 2, 2, 1]) if done and rng.random() < 0.6 else None
            errands.append(Errand(
                village=village, request=rng.choice(ERRANDS[category]), category=category,
                resident_name=f"{rng.choice(SURNAMES)}{rng.choice('秀英桂兰建国国强玉梅志华明亮')}",
                resident_phone=f"13{rng.randint(100000000, 999999999)}", runner=rng.choice(people)[0],
                requested_on=requested, promised_days=promised, done_on=done,
                result="已办结，材料已交群众" if done else "", satisfaction=mark,
                rated_at=timezone.now() if mark else None, token=f"demo{village.code}{len(errands):05d}{rng.randint(0, 10**8)}"))
    DutyShift.objects.bulk_create(shifts)
    Errand.objects.bulk_create(errands)
    if stdout:
        stdout.write(f"  党群服务中心：{len(villages)} 个村（社区），值班安排 {len(shifts)} 条，代办事项 {len(errands)} 件")

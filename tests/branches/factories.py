"""Factories of the branch records (meetings, decisions, postings, rectifications)."""

import datetime as dt

import factory

from branches.models import Decision, Meeting, MeetingType, Posting, PostingCategory, Rectification
from tests.factories import BranchFactory, VillageFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    village = factory.SubFactory(VillageFactory)
    type = MeetingType.COMMITTEE_MEETING
    date = dt.date(2026, 3, 5)
    topic = "研究本月重点工作"
    members_expected = 5
    attendance = 5


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    village = factory.SubFactory(VillageFactory)
    matter = "道路硬化工程建设"
    proposed_on = dt.date(2026, 3, 1)


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    village = factory.SubFactory(VillageFactory)
    category = PostingCategory.FINANCIAL
    year = 2026
    month = 3
    posted_on = dt.date(2026, 3, 31)
    content = "一季度村集体收支明细"


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rectification

    branch = factory.SubFactory(BranchFactory, is_weak_lax=True)
    year = 2026
    reason = "组织生活不经常、不规范"
    listed_on = dt.date(2026, 2, 20)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "branches.Member"

    branch = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"党员{n}")
    gender = "男"
    birth_year = 1970
    joined_on = dt.date(2000, 7, 1)
    category = "in_work"

"""Communities' needs and resources (需求清单 / 资源清单, 共建共享).

An urban community records its residents' needs (category, status) and the resources offered by
the units, enterprises and social organisations stationed in it. A need is matched to a resource
(对接) and followed to done (办结); each step keeps its date, so the 共建共享 star's figure for a
month counts only what was done by then. A match may be undone before it is done (its dates stay
on record, marked cancelled); a done match is final.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = ["CommunityNeed", "CommunityResource", "NeedCategory", "NeedMatch", "NeedStatus", "ProviderKind"]


class NeedCategory(models.TextChoices):
    ELDERLY = "elderly", "养老助老"
    CHILDREN = "children", "托育助学"
    EMPLOYMENT = "employment", "就业创业"
    HEALTH = "health", "医疗健康"
    ENVIRONMENT = "environment", "环境物业"
    LEGAL = "legal", "法律调解"
    CULTURE = "culture", "文体活动"
    ASSISTANCE = "assistance", "帮困救助"
    OTHER = "other", "其他"


class NeedStatus(models.TextChoices):
    OPEN = "open", "待对接"
    MATCHED = "matched", "已对接"
    DONE = "done", "已办结"
    CANCELLED = "cancelled", "已撤销"


class ProviderKind(models.TextChoices):
    UNIT = "unit", "驻区单位"
    ENTERPRISE = "enterprise", "企业"
    SOCIAL_ORG = "social_org", "社会组织"


class CommunityNeed(models.Model):
    community = models.ForeignKey("villages.Region", verbose_name="社区", on_delete=models.PROTECT,
                                  related_name="community_needs")
    title = models.CharField("需求", max_length=100)
    category = models.CharField("类别", max_length=15, choices=NeedCategory.choices)
    detail = models.TextField("具体情况", blank=True)
    raised_by = models.CharField("提出居民或群体", max_length=60, blank=True)
    raised_on = models.DateField("提出日期")
    status = models.CharField("状态", max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    cancelled_on = models.DateField("撤销日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "居民需求"
        verbose_name_plural = "需求清单"
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return self.title


class CommunityResource(models.Model):
    community = models.ForeignKey("villages.Region", verbose_name="社区", on_delete=models.PROTECT,
                                  related_name="community_resources")
    provider_name = models.CharField("提供单位", max_length=80)
    provider_kind = models.CharField("单位类型", max_length=12, choices=ProviderKind.choices)
    category = models.CharField("类别", max_length=15, choices=NeedCategory.choices)
    description = models.CharField("资源内容", max_length=200)
    contact = models.CharField("联系人及电话", max_length=60, blank=True)
    offered_on = models.DateField("登记日期")
    withdrawn_on = models.DateField("停止提供日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "共建资源"
        verbose_name_plural = "资源清单"
        ordering = ["community__code", "category", "provider_name", "id"]

    def __str__(self) -> str:
        return f"{self.provider_name}：{self.description}"

    @property
    def is_available(self) -> bool:
        return self.withdrawn_on is None


class NeedMatch(models.Model):
    """A need matched to a resource (对接), followed to done (办结) or undone (cancelled)."""

    need = models.ForeignKey(CommunityNeed, verbose_name="需求", on_delete=models.PROTECT, related_name="matches")
    resource = models.ForeignKey(CommunityResource, verbose_name="资源", on_delete=models.PROTECT,
                                 related_name="matches")
    matched_on = models.DateField("对接日期")
    matched_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="对接登记人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    note = models.CharField("对接说明", max_length=200, blank=True)
    done_on = models.DateField("办结日期", null=True, blank=True)
    done_note = models.CharField("办结情况", max_length=200, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结登记人", on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    cancelled_on = models.DateField("取消对接日期", null=True, blank=True)

    class Meta:
        verbose_name = "需求对接"
        verbose_name_plural = "需求对接"
        ordering = ["-matched_on", "-id"]
        indexes = [models.Index(fields=["done_on"])]
        constraints = [
            models.UniqueConstraint(fields=["need"], condition=models.Q(cancelled_on__isnull=True),
                                    name="need_one_running_match"),
            models.CheckConstraint(condition=models.Q(done_on__isnull=True) | models.Q(done_on__gte=models.F("matched_on")),
                                   name="need_match_done_after_matched"),
            models.CheckConstraint(condition=models.Q(done_on__isnull=True) | models.Q(cancelled_on__isnull=True),
                                   name="need_match_done_or_cancelled"),
        ]

    def __str__(self) -> str:
        return f"{self.need} ← {self.resource.provider_name}"

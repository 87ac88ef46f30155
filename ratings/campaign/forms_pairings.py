"""Forms of the pairing pages (结对共建); the rules live in branches/services_pairing.py."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from branches.models_pairing import PairingKind
from config.forms import BootstrapFormMixin
from villages.models import Level, Region

MSG_REQUIRED = "此项为必填项。"
MSG_DATE = "请输入有效的日期。"
MSG_CHOICE = "请选择有效的选项。"
MSG_NUMBER = "请输入有效的数字。"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _errors(**extra) -> dict:
    return {"required": MSG_REQUIRED, "invalid": MSG_DATE, "invalid_choice": MSG_CHOICE, **extra}


def _number_errors() -> dict:
    return {"required": MSG_REQUIRED, "invalid": MSG_NUMBER, "max_digits": MSG_NUMBER,
            "max_decimal_places": "最多保留两位小数。", "max_whole_digits": MSG_NUMBER,
            "min_value": "不能为负数。", "max_value": "数值过大。"}


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.parent.name} {obj.name}" if obj.parent_id else obj.name


class PairingForm(BootstrapFormMixin, forms.Form):
    helper = VillageChoiceField(label="帮扶方", queryset=Region.objects.none(), error_messages=_errors())
    receiver = VillageChoiceField(label="受援方", queryset=Region.objects.none(), error_messages=_errors())
    kind = forms.ChoiceField(label="结对类型", choices=PairingKind.choices, error_messages=_errors())
    started_on = forms.DateField(label="开始日期", initial=timezone.localdate, widget=DATE, error_messages=_errors())
    ended_on = forms.DateField(label="结束日期", required=False, widget=DATE, error_messages=_errors())
    content = forms.CharField(label="共建内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agreement = forms.FileField(label="共建协议（PDF）", required=False)

    def __init__(self, *args, villages=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["helper"]
            del self.fields["receiver"]
        else:
            qs = (villages if villages is not None else Region.objects.none()).filter(level=Level.VILLAGE)
            self.fields["helper"].queryset = qs.select_related("parent").order_by("code")
            self.fields["receiver"].queryset = qs.select_related("parent").order_by("code")


class TargetForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, error_messages=_number_errors())
    star_level = forms.IntegerField(label="目标星级", min_value=0, max_value=5, error_messages=_number_errors())
    income = forms.DecimalField(label="目标集体经济收入（元）", min_value=Decimal(0), max_digits=12, decimal_places=2,
                                error_messages=_number_errors())


class ActivityForm(BootstrapFormMixin, forms.Form):
    held_on = forms.DateField(label="活动日期", initial=timezone.localdate, widget=DATE, error_messages=_errors())
    title = forms.CharField(label="活动内容", max_length=120, error_messages=_errors(),
                            widget=forms.TextInput(attrs={"placeholder": "如：联合主题党日、电商培训"}))
    participants = forms.CharField(label="参加人员", max_length=200, required=False)
    resources = forms.CharField(label="传递的资源", max_length=200, required=False,
                                widget=forms.TextInput(attrs={"placeholder": "如：引进项目、市场渠道、技术培训"}))
    resource_value = forms.DecimalField(label="资源价值（元）", min_value=Decimal(0), max_digits=12, decimal_places=2,
                                        required=False, error_messages=_number_errors())
    photo = forms.FileField(label="活动照片", required=False)

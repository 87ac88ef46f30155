"""Forms of the needs and resources pages; the rules live in branches/services_community.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from config.forms import BootstrapFormMixin

from .models_community import NeedCategory, ProviderKind

MSG_REQUIRED = "此项为必填项。"
MSG_DATE = "请输入有效的日期。"
MSG_CHOICE = "请选择有效的选项。"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _errors(**extra) -> dict:
    return {"required": MSG_REQUIRED, "invalid": MSG_DATE, "invalid_choice": MSG_CHOICE, **extra}


def _today():
    return timezone.localdate()


class NeedForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label="需求", max_length=100, error_messages=_errors(),
                            widget=forms.TextInput(attrs={"placeholder": "如：独居老人助餐"}))
    category = forms.ChoiceField(label="类别", choices=NeedCategory.choices, error_messages=_errors())
    raised_on = forms.DateField(label="提出日期", initial=_today, widget=DATE, error_messages=_errors())
    raised_by = forms.CharField(label="提出居民或群体", max_length=60, required=False,
                                widget=forms.TextInput(attrs={"placeholder": "选填，如：3号楼居民"}))
    detail = forms.CharField(label="具体情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ResourceForm(BootstrapFormMixin, forms.Form):
    provider_name = forms.CharField(label="提供单位", max_length=80, error_messages=_errors(),
                                    widget=forms.TextInput(attrs={"placeholder": "如：县人民医院"}))
    provider_kind = forms.ChoiceField(label="单位类型", choices=ProviderKind.choices, error_messages=_errors())
    category = forms.ChoiceField(label="类别", choices=NeedCategory.choices, error_messages=_errors())
    description = forms.CharField(label="资源内容", max_length=200, error_messages=_errors(),
                                  widget=forms.TextInput(attrs={"placeholder": "如：每月一次义诊"}))
    contact = forms.CharField(label="联系人及电话", max_length=60, required=False)
    offered_on = forms.DateField(label="登记日期", initial=_today, widget=DATE, error_messages=_errors())


class MatchForm(BootstrapFormMixin, forms.Form):
    resource = forms.ModelChoiceField(label="对接资源", queryset=None, error_messages=_errors(),
                                      empty_label="请选择本社区资源清单中的资源")
    matched_on = forms.DateField(label="对接日期", initial=_today, widget=DATE, error_messages=_errors())
    note = forms.CharField(label="对接说明", max_length=200, required=False)

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources
        self.fields["resource"].label_from_instance = lambda r: f"{r.provider_name}：{r.description}"


class DoneForm(BootstrapFormMixin, forms.Form):
    done_on = forms.DateField(label="办结日期", initial=_today, widget=DATE, error_messages=_errors())
    note = forms.CharField(label="办结情况", max_length=200, required=False)

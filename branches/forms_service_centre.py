"""Forms of the service centre pages (值班 / 代办) and the resident's satisfaction mark; the rules
live in branches/services_service_centre.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from config.forms import BootstrapFormMixin

from .models_pairing import ErrandCategory, Satisfaction, Weekday

MSG_REQUIRED = "此项为必填项。"
MSG_DATE = "请输入有效的日期。"
MSG_CHOICE = "请选择有效的选项。"
MSG_NUMBER = "请输入 1 到 90 之间的整数。"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _errors(**extra) -> dict:
    return {"required": MSG_REQUIRED, "invalid": MSG_DATE, "invalid_choice": MSG_CHOICE, **extra}


class ShiftForm(BootstrapFormMixin, forms.Form):
    weekday = forms.TypedChoiceField(label="值班日", choices=Weekday.choices, coerce=int, error_messages=_errors())
    person = forms.CharField(label="值班干部", max_length=40, error_messages=_errors())
    title = forms.CharField(label="职务", max_length=40, required=False,
                            widget=forms.TextInput(attrs={"placeholder": "如：村党支部书记"}))
    phone = forms.CharField(label="值班电话", max_length=20, error_messages=_errors())
    hours = forms.CharField(label="值班时间", max_length=40, required=False, initial="8:30—17:30")
    valid_from = forms.DateField(label="起始日期", initial=timezone.localdate, widget=DATE, error_messages=_errors())


class ErrandForm(BootstrapFormMixin, forms.Form):
    request = forms.CharField(label="代办事项", max_length=120, error_messages=_errors(),
                              widget=forms.TextInput(attrs={"placeholder": "如：代办养老保险资格认证"}))
    category = forms.ChoiceField(label="类别", choices=ErrandCategory.choices, error_messages=_errors())
    resident_name = forms.CharField(label="群众姓名", max_length=40, error_messages=_errors())
    resident_phone = forms.CharField(label="群众电话", max_length=20, required=False)
    runner = forms.CharField(label="代办干部", max_length=40, error_messages=_errors())
    requested_on = forms.DateField(label="受理日期", initial=timezone.localdate, widget=DATE, error_messages=_errors())
    promised_days = forms.IntegerField(label="承诺办结天数", min_value=1, max_value=90, initial=7,
                                       error_messages={"required": MSG_REQUIRED, "invalid": MSG_NUMBER,
                                                       "min_value": MSG_NUMBER, "max_value": MSG_NUMBER})


class ErrandDoneForm(BootstrapFormMixin, forms.Form):
    done_on = forms.DateField(label="办结日期", initial=timezone.localdate, widget=DATE, error_messages=_errors())
    result = forms.CharField(label="办理结果", max_length=200, required=False)


class SatisfactionForm(forms.Form):
    mark = forms.TypedChoiceField(label="您对这次代办服务的评价", choices=Satisfaction.choices, coerce=int,
                                  widget=forms.RadioSelect, error_messages=_errors(required="请选择一项评价。"))

"""Browser forms of the collective economy; choices are limited to the user's editable villages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from config.forms import bootstrap

from .access import editable_villages
from .models import MSG_INCOME_YEAR, MSG_OPERATING_ABOVE_TOTAL, Binding, Cooperative, Project

MSG_AMOUNT_NEGATIVE = "金额不能为负数"


class _VillageLimited:
    def _limit(self, user) -> None:
        if "village" in self.fields:
            self.fields["village"].queryset = editable_villages(user).select_related("parent").order_by("code")
            self.fields["village"].label_from_instance = lambda v: f"{v.parent.name if v.parent else ''} {v.name}（{v.code}）"
        bootstrap(self)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(_VillageLimited, forms.ModelForm):
    class Meta:
        model = Project
        fields = ["village", "name", "project_type", "status", "investment", "annual_income", "started_on", "owner",
                  "households_benefiting", "jobs_created", "is_leading_industry", "description"]
        widgets = {"started_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(user)


class CooperativeForm(_VillageLimited, forms.ModelForm):
    class Meta:
        model = Cooperative
        fields = ["village", "name", "led_by_branch", "established_on", "dissolved_on", "members", "business"]
        widgets = {"established_on": DATE, "dissolved_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(user)


class BindingForm(forms.ModelForm):
    class Meta:
        model = Binding
        fields = ["cooperative", "enterprise", "farmers_bound", "started_on", "ended_on", "terms"]
        widgets = {"started_on": DATE, "ended_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = Cooperative.objects.filter(
            village__in=editable_villages(user)).select_related("village").order_by("village__code", "name")
        self.fields["cooperative"].label_from_instance = lambda c: f"{c.village.name} · {c.name}"
        bootstrap(self)


def _year_field():
    return forms.IntegerField(label="年度", min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year,
                              error_messages={"min_value": MSG_INCOME_YEAR, "max_value": MSG_INCOME_YEAR})


def _amount_field(label: str):
    return forms.DecimalField(label=label, min_value=Decimal(0), max_digits=14, decimal_places=2,
                              error_messages={"min_value": MSG_AMOUNT_NEGATIVE})


class _IncomeForm(_VillageLimited, forms.Form):
    def clean(self):
        data = super().clean()
        total, operating = data.get("total"), data.get("operating")
        if total is not None and operating is not None and operating > total:
            self.add_error("operating", MSG_OPERATING_ABOVE_TOTAL)
        return data


class IncomeYearForm(_IncomeForm):
    village = forms.ModelChoiceField(label="村（社区）", queryset=None)
    year = _year_field()
    total = _amount_field("集体经济总收入（元）")
    operating = _amount_field("其中经营性收入（元）")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(user)


class IncomeMonthForm(_IncomeForm):
    month = forms.TypedChoiceField(label="月份", coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)])
    total = _amount_field("当月集体经济收入（元）")
    operating = _amount_field("其中经营性收入（元）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class IncomeImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", widget=forms.ClearableFileInput(attrs={
        "class": "form-control", "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}))

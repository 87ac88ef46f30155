"""Forms of the responsibility pages; the rules live in cadres/services_duty.py."""

from __future__ import annotations

import json

from django import forms
from django.utils import timezone

from config.forms import BootstrapFormMixin
from villages.models import Level, Region

from .models import User, region_kind, star_choices
from .models_duty import Duty, DutyTier

MSG_REQUIRED = "此项为必填项。"
MSG_DATE = "请输入有效的日期。"
PROBLEM_ROWS = 3
DATE = {"type": "date"}


def _errors(**extra) -> dict:
    return {"required": MSG_REQUIRED, "invalid": MSG_DATE, **extra}


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        if obj.level == Level.VILLAGE and obj.parent_id:
            return f"{obj.parent.name} {obj.name}"
        return obj.name


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.organisation}）" if obj.organisation else obj.display_name


class AssignmentForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, error_messages=_errors(invalid="年度应为数字。"))
    duty = forms.ChoiceField(label="职责", choices=Duty.choices, error_messages=_errors(invalid_choice="请选择职责。"))
    tier = forms.ChoiceField(label="人员类别", choices=DutyTier.choices,
                             error_messages=_errors(invalid_choice="请选择人员类别。"))
    region = RegionField(label="分包乡镇或村", queryset=Region.objects.none(), to_field_name="code",
                         error_messages=_errors(invalid_choice="请选择权限范围内的乡镇或村。"))
    person = PersonField(label="责任人账号", queryset=User.objects.none(), required=False,
                         help_text="有账号的责任人可以用手机记录走访", error_messages={"invalid_choice": "请选择有效的账号。"})
    person_name = forms.CharField(label="责任人姓名", max_length=40, required=False, help_text="选择了账号可不填")
    person_title = forms.CharField(label="职务", max_length=60, required=False)
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), error_messages=_errors())
    end_date = forms.DateField(label="结束日期", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), required=False,
                               error_messages=_errors())
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, regions, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.select_related("parent").order_by("code")
        self.fields["person"].queryset = people
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["start_date"].initial = today


class AssignmentEndForm(forms.Form):
    end_date = forms.DateField(label="结束日期", error_messages=_errors())


class ContactVisitForm(BootstrapFormMixin, forms.Form):
    village = RegionField(label="走访村（社区）", queryset=Region.objects.none(), to_field_name="code",
                          error_messages=_errors(invalid_choice="请选择您分包的村（社区）。"))
    date = forms.DateField(label="走访日期", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), error_messages=_errors())
    findings = forms.CharField(label="发现情况", widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages=_errors(), max_length=2000)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages.select_related("parent").order_by("code")
        self.fields["date"].initial = timezone.localdate()
        # A problem is filed under a star of the visited village's own variant: the choices are
        # named for the chosen village (or for the one kind among the visitor's villages); the
        # page renames them when another village is picked (app.js, data-star-names).
        kinds = {v.code: region_kind(v) for v in self.fields["village"].queryset}
        chosen = self.data.get("village") or self.initial.get("village") or ""
        kind = kinds.get(chosen) or (next(iter(set(kinds.values()))) if len(set(kinds.values())) == 1 else "rural")
        self.fields["village"].widget.attrs["data-region-kinds"] = json.dumps(kinds)
        names = json.dumps({k: dict(star_choices(k)) for k in ("rural", "urban")}, ensure_ascii=False)
        star_options = [("", "所属星")] + star_choices(kind)
        for n in range(1, PROBLEM_ROWS + 1):
            self.fields[f"problem_star_{n}"] = forms.ChoiceField(
                label=f"问题{n}所属星", choices=star_options, required=False,
                error_messages={"invalid_choice": "请选择有效的星。"},
                widget=forms.Select(attrs={"class": "form-select", "data-star-names": names}))
            self.fields[f"problem_title_{n}"] = forms.CharField(
                label=f"问题{n}", max_length=200, required=False,
                widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "需要整改的问题（选填）"}))

    def problem_rows(self):
        return [(self[f"problem_star_{n}"], self[f"problem_title_{n}"]) for n in range(1, PROBLEM_ROWS + 1)]

    def problems(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data.get(f"problem_star_{n}", ""), data.get(f"problem_title_{n}", ""))
                for n in range(1, PROBLEM_ROWS + 1)]

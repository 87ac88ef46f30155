"""Forms of the task-force and consultation pages; the rules live in cadres/services_taskforce.py."""

from __future__ import annotations

import json

from django import forms
from django.utils import timezone

from config.forms import BootstrapFormMixin

from .forms_duty import DATE, RegionField, _errors
from .models import StarCode, region_kind, star_choices, star_label

MEASURE_ROWS = 4


class UnitCheckboxes(forms.CheckboxSelectMultiple):
    """The county's departments as Bootstrap checkboxes that wrap on a phone."""

    template_name = "cadres/widgets/unit_checkboxes.html"


class TaskForceForm(BootstrapFormMixin, forms.Form):
    lead_department = forms.CharField(label="牵头部门", max_length=60, error_messages=_errors())
    # Picked from the county's list of departments and units (cadres.Department), never typed.
    member_units = forms.MultipleChoiceField(
        label="成员单位", required=False, widget=UnitCheckboxes,
        help_text="从本县部门和单位名单中勾选；名单由县委组织部维护",
        error_messages={"invalid_choice": "成员单位“%(value)s”不在本县的部门和单位名单中，请从名单中选择。"})
    members = forms.CharField(label="专班成员", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="每行一人：姓名 单位 职务（如：张伟 县农业农村局 组长）", max_length=4000)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_units"].choices = [(d.name, d.name) for d in departments]


class DepartmentsForm(BootstrapFormMixin, forms.Form):
    names = forms.CharField(label="部门和单位", required=False, widget=forms.Textarea(attrs={"rows": 12}),
                            max_length=6000, help_text="每行一个，按此顺序列出；专班的成员单位从这里勾选",
                            error_messages=_errors())


class ConsultationForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label="会商日期", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                           error_messages=_errors())
    title = forms.CharField(label="会议名称", max_length=100, error_messages=_errors())
    attendees = forms.CharField(label="参会人员", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                                error_messages=_errors())
    problems = forms.CharField(label="研判的问题", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               max_length=4000)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["date"].initial = today
        self.fields["title"].initial = f"{today.month}月五星支部创建联席会商"
        # Progress is reported per star code for villages and communities together: a star whose
        # community name differs says both (产业兴旺星（社区：宜业兴业星）).
        kinds = {v.code: region_kind(v) for v in villages}
        has_urban = "urban" in kinds.values()
        for code in StarCode.values:
            label = star_label(code)
            if has_urban and star_label(code, "urban") != label:
                label = f"{label}（社区：{star_label(code, 'urban')}）"
            self.fields[f"progress_{code}"] = forms.CharField(
                label=f"{label}推进情况", required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}))
        names = json.dumps({k: dict(star_choices(k)) for k in ("rural", "urban")}, ensure_ascii=False)
        for n in range(1, MEASURE_ROWS + 1):
            # Named for the row's village once picked (app.js); rural names until then.
            chosen = kinds.get(self.data.get(f"m{n}_village", ""), "rural")
            self.fields[f"m{n}_star"] = forms.ChoiceField(
                label=f"措施{n}所属星", choices=[("", "所属星")] + star_choices(chosen), required=False,
                error_messages={"invalid_choice": "请选择有效的星。"},
                widget=forms.Select(attrs={"data-star-names": names, "data-star-for": f"m{n}_village"}))
            self.fields[f"m{n}_village"] = RegionField(
                label=f"措施{n}落实村", queryset=villages, to_field_name="code", required=False,
                empty_label="落实村（社区）", error_messages={"invalid_choice": "请选择权限范围内的村（社区）。"},
                widget=forms.Select(attrs={"data-region-kinds": json.dumps(kinds)}))
            self.fields[f"m{n}_title"] = forms.CharField(label=f"措施{n}", max_length=200, required=False)
            self.fields[f"m{n}_owner"] = forms.CharField(label=f"措施{n}责任人", max_length=60, required=False)
            self.fields[f"m{n}_due"] = forms.DateField(label=f"措施{n}完成时限", required=False,
                                                       widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                                       error_messages=_errors())
        from config.forms import bootstrap

        bootstrap(self, small=True)

    def progress_fields(self):
        return [self[f"progress_{code}"] for code in StarCode.values]

    def measure_rows(self):
        return [[self[f"m{n}_{part}"] for part in ("star", "village", "title", "owner", "due")]
                for n in range(1, MEASURE_ROWS + 1)]

    def progress(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"progress_{code}", "") for code in StarCode.values}

    def measures(self):
        from .services_taskforce import Measure

        d = self.cleaned_data
        return [Measure(star=d.get(f"m{n}_star", ""), village=d.get(f"m{n}_village"), title=d.get(f"m{n}_title", ""),
                        owner_text=d.get(f"m{n}_owner", ""), due_date=d.get(f"m{n}_due"))
                for n in range(1, MEASURE_ROWS + 1)]


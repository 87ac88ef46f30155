"""Forms of the campaign pages (problem records, inspections). Messages in Chinese."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cadres.models import StarCode
from config.forms import BootstrapFormMixin
from villages.models import Level, Region


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        parent = f"{obj.parent.name} " if obj.level == Level.VILLAGE and obj.parent_id else ""
        return f"{parent}{obj.name}"


class ProblemForm(BootstrapFormMixin, forms.Form):
    """问题台账: a problem found by an inspection, for one village and star."""

    village = RegionChoiceField(label="村（社区）", queryset=Region.objects.none(), to_field_name="code",
                                error_messages={"required": "请选择村（社区）。", "invalid_choice": "请选择权限范围内的村（社区）。"})
    star = forms.ChoiceField(label="星", choices=StarCode.choices, error_messages={"required": "请选择星。"})
    title = forms.CharField(label="问题", max_length=200, error_messages={"required": "请填写问题内容。"})
    detail = forms.CharField(label="详情", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due_date = forms.DateField(label="整改时限", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"invalid": "请输入有效日期。"})

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages.select_related("parent").order_by("code")

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due and due < timezone.localdate():
            raise forms.ValidationError("整改时限不能早于今天。")
        return due


class InspectionForm(BootstrapFormMixin, forms.Form):
    """观摩: the region inspected (a township, or the county), the quarter and the day."""

    region = RegionChoiceField(label="组织单位", queryset=Region.objects.none(), to_field_name="code",
                               error_messages={"required": "请选择组织单位。", "invalid_choice": "请选择权限范围内的乡镇或县。"})
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              error_messages={"required": "请填写年度。", "invalid": "年度应为数字。"})
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in range(1, 5)],
                                     error_messages={"required": "请选择季度。"})
    date = forms.DateField(label="观摩日期", widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"required": "请填写观摩日期。", "invalid": "请输入有效日期。"})

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.order_by("code")
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1
        self.fields["date"].initial = today

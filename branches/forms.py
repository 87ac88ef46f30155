"""Forms of the branch record pages; the services do the checks, these shape the input."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from .models_records import Decision, Meeting, MeetingType, Posting, PostingCategory

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"class": "form-control", "type": "date"}
FILE = {"class": "form-control", "accept": "image/jpeg,image/png,application/pdf"}

MEETING_SORTS = {
    "-date": ("-date", "日期（新→旧）"), "date": ("date", "日期（旧→新）"), "type": ("type", "类型"),
    "village": ("village__code", "村（社区）"), "-attendance": ("-attendance", "实到人数"),
}


def _date_input(fmt="%Y-%m-%d"):
    return forms.DateInput(attrs=DATE, format=fmt)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["type", "date", "topic", "members_expected", "attendance", "minutes", "attachment"]
        widgets = {
            "type": forms.Select(attrs=SELECT), "date": _date_input(), "topic": forms.TextInput(attrs=TEXT),
            "members_expected": forms.NumberInput(attrs={**TEXT, "min": 0}),
            "attendance": forms.NumberInput(attrs={**TEXT, "min": 0}),
            "minutes": forms.Textarea(attrs={**TEXT, "rows": 5}), "attachment": forms.FileInput(attrs=FILE),
        }
        help_texts = {"attachment": "JPG、PNG 图片或 PDF，按内容识别类型", "members_expected": "一般为本支部党员人数"}


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["matter", "proposed_on", "discussed_on", "reviewed_on", "resolved_on", "resolution_published_on",
                  "result_published_on", "note"]
        widgets = {
            "matter": forms.TextInput(attrs=TEXT), "note": forms.Textarea(attrs={**TEXT, "rows": 3}),
            **{f: _date_input() for f in ("proposed_on", "discussed_on", "reviewed_on", "resolved_on",
                                          "resolution_published_on", "result_published_on")},
        }


class PostingForm(forms.ModelForm):
    class Meta:
        model = Posting
        fields = ["category", "year", "month", "posted_on", "content", "photo"]
        widgets = {
            "category": forms.Select(attrs=SELECT), "year": forms.NumberInput(attrs={**TEXT, "min": 2000}),
            "month": forms.NumberInput(attrs={**TEXT, "min": 1, "max": 12}), "posted_on": _date_input(),
            "content": forms.Textarea(attrs={**TEXT, "rows": 4}), "photo": forms.FileInput(attrs=FILE),
        }


class VillageChoiceForm(forms.Form):
    """Which village a township clerk records for (village roles have just their own)."""

    village = forms.ChoiceField(label="村（社区）", widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(v.code, f"{v.parent.name if v.parent_id else ''} {v.name}") for v in villages]


class MeetingFilterForm(forms.Form):
    type = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *MeetingType.choices],
                             widget=forms.Select(attrs=SELECT))
    month = forms.CharField(label="月份", required=False, widget=forms.DateInput(attrs={**TEXT, "type": "month"}))
    quarter = forms.TypedChoiceField(label="按季度", required=False, coerce=int, empty_value=None,
                                     choices=[("", "按月查看"), (1, "一季度"), (2, "二季度"), (3, "三季度"), (4, "四季度")],
                                     widget=forms.Select(attrs=SELECT))
    village = forms.CharField(label="村（社区）", required=False, widget=forms.Select(attrs=SELECT))
    sort = forms.ChoiceField(label="排序", required=False, choices=[(k, v[1]) for k, v in MEETING_SORTS.items()],
                             widget=forms.Select(attrs=SELECT))

    def clean_month(self):
        value = self.cleaned_data.get("month")
        if not value:
            today = timezone.localdate()
            return today.year, today.month
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError:
            raise forms.ValidationError("月份格式应为“年-月”，如 2026-03") from None
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise forms.ValidationError("月份格式应为“年-月”，如 2026-03")
        return year, month


class PostingFilterForm(forms.Form):
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别"), *PostingCategory.choices],
                                 widget=forms.Select(attrs=SELECT))
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs=TEXT))


class RectificationPlanForm(forms.Form):
    plan = forms.CharField(label="整顿方案", widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
                           error_messages={"required": "请填写整顿方案"})


class RectificationProgressForm(forms.Form):
    date = forms.DateField(label="日期", widget=_date_input(), error_messages={"required": "请填写日期"})
    note = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                           error_messages={"required": "请填写整顿进展"})


class RectificationAcceptForm(forms.Form):
    accepted_on = forms.DateField(label="验收日期", widget=_date_input(), error_messages={"required": "请填写验收日期"})
    note = forms.CharField(label="验收意见", required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class RectificationListForm(forms.Form):
    """列入软弱涣散: the village whose branch is listed, the reason and the day."""

    village = forms.ModelChoiceField(label="村（社区）", queryset=None, to_field_name="code",
                                     error_messages={"required": "请选择村（社区）",
                                                     "invalid_choice": "请选择权限范围内、尚未列入的村（社区）"})
    reason = forms.CharField(label="软弱涣散原因", widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                             error_messages={"required": "请填写软弱涣散原因"})
    listed_on = forms.DateField(label="列入日期", widget=_date_input(), error_messages={"required": "请填写列入日期"})

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["village"].widget.attrs["class"] = "form-select"
        self.fields["village"].label_from_instance = lambda v: f"{v.parent.name} {v.name}"

"""Forms of the first secretaries' pages; the services hold the rules, forms only parse input."""

from __future__ import annotations

from django import forms

from .models_work import EvaluationGrade

MSG_DATE = "请输入有效的日期。"
MSG_REQUIRED = "此项为必填项。"

DATE_WIDGET = {"type": "date", "class": "form-control"}


def _errors(**extra) -> dict:
    return {"required": MSG_REQUIRED, "invalid": MSG_DATE, **extra}


class LeaveRequestForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"), error_messages=_errors())
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"), error_messages=_errors())
    reason = forms.CharField(label="事由", max_length=200, error_messages=_errors(),
                             widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：参加单位培训"}))


class LeaveDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审批", choices=[("approve", "批准"), ("refuse", "不批准")],
                                 error_messages=_errors(invalid_choice="请选择批准或不批准。"))
    note = forms.CharField(label="审批意见", max_length=200, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "审批意见（选填）"}))


class SpotCheckForm(forms.Form):
    date = forms.DateField(label="抽查日期", widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"), error_messages=_errors())
    present = forms.TypedChoiceField(label="是否在岗", choices=[("1", "在岗"), ("0", "不在岗")], coerce=lambda v: v == "1",
                                     widget=forms.RadioSelect, error_messages=_errors(invalid_choice="请选择是否在岗。"))
    note = forms.CharField(label="情况说明", max_length=200, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))


class RecallForm(forms.Form):
    reason = forms.CharField(label="召回原因", max_length=500, error_messages=_errors(),
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))


class EvaluationForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=[],
                                  widget=forms.Select(attrs={"class": "form-select"}),
                                  error_messages=_errors(invalid_choice="请选择任期内的年度。"))
    grade = forms.ChoiceField(label="等次", choices=EvaluationGrade.choices, widget=forms.RadioSelect,
                              error_messages=_errors(invalid_choice="请选择考核等次。"))
    note = forms.CharField(label="评语", max_length=300, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}年度") for y in years]

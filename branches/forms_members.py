"""Forms of the member roster and its records (phone-first: one column, native date inputs)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from .models_members import ContactWay, LeaveReason, Member, PledgeOutcome, PostKind

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "gender", "birth_year", "joined_on", "standing", "category", "committee_role", "phone",
                  "contact_name", "note"]
        widgets = {"joined_on": DATE, "phone": forms.TextInput(attrs={"inputmode": "tel", "maxlength": 11})}
        help_texts = {"contact_name": "流动党员填写负责联系他的干部或党员"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="离开日期", widget=DATE)
    reason = forms.ChoiceField(label="离开原因", choices=[("", "请选择")] + LeaveReason.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()
        _style(self)


class PostForm(forms.Form):
    kind = forms.ModelChoiceField(label="岗位", queryset=PostKind.objects.none(), empty_label="请选择")
    duty = forms.CharField(label="岗位职责", max_length=200)
    started_on = forms.DateField(label="上岗日期", widget=DATE)

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = PostKind.objects.filter(county=county, is_active=True)
        _style(self)


class DutyLogForm(forms.Form):
    post = forms.ChoiceField(label="岗位")
    date = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="履职内容", max_length=200)

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [(p.pk, p.kind.name) for p in posts]
        _style(self)


class PledgeForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    text = forms.CharField(label="承诺内容", max_length=200)
    made_on = forms.DateField(label="承诺日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        _style(self)


class ProgressForm(forms.Form):
    pledge = forms.ChoiceField(label="承诺")
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in range(1, 5)])
    on_track = forms.TypedChoiceField(label="进度", coerce=lambda v: v == "yes",
                                      choices=[("yes", "按进度推进"), ("no", "进度滞后")])
    note = forms.CharField(label="进展情况", max_length=200)
    reported_on = forms.DateField(label="报告日期", widget=DATE)

    def __init__(self, *args, pledges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pledge"].choices = [(p.pk, f"{p.year}年：{p.text}") for p in pledges]
        _style(self)


class ConfirmForm(forms.Form):
    pledge = forms.ChoiceField(label="承诺")
    outcome = forms.ChoiceField(label="年终践诺", choices=PledgeOutcome.choices)
    confirmed_on = forms.DateField(label="支部确认日期", widget=DATE)

    def __init__(self, *args, pledges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pledge"].choices = [(p.pk, f"{p.year}年：{p.text}") for p in pledges if not p.outcome]
        _style(self)


class HouseholdForm(forms.Form):
    head_name = forms.CharField(label="户主姓名", max_length=40)
    group = forms.CharField(label="村民小组", max_length=40, required=False)
    people = forms.IntegerField(label="户人口数", min_value=1, max_value=30, initial=3)
    since = forms.DateField(label="联系起始日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class VisitForm(forms.Form):
    household = forms.ChoiceField(label="联系户")
    date = forms.DateField(label="走访日期", widget=DATE)
    note = forms.CharField(label="走访情况", max_length=200)

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [(h.pk, h.head_name) for h in households]
        _style(self)


class ContactForm(forms.Form):
    date = forms.DateField(label="联系日期", widget=DATE)
    way = forms.ChoiceField(label="联系方式", choices=ContactWay.choices)
    by_name = forms.CharField(label="联系人", max_length=40)
    note = forms.CharField(label="联系情况", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CareForm(forms.Form):
    date = forms.DateField(label="走访日期", widget=DATE)
    visitor = forms.CharField(label="走访人", max_length=40)
    note = forms.CharField(label="关爱情况", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class RecognitionForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE)
    title = forms.CharField(label="荣誉名称", max_length=60, initial="好家风")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", widget=forms.ClearableFileInput(
        attrs={"accept": ".xlsx", "class": "form-control"}))

"""Forms of the standard editor: rule parameters as friendly fields, never raw JSON."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms

from config.forms import bootstrap

from .metrics import provider_choices
from .models import Indicator, Rule, Star

MSG_BAND_LINE = "第{line}行应为“界值,得分”，如 50000,8"


class StarForm(forms.ModelForm):
    class Meta:
        model = Star
        fields = ["name", "lead_department", "order", "pass_mark", "max_score", "is_prerequisite"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class IndicatorForm(forms.ModelForm):
    threshold = forms.DecimalField(label="阈值", required=False, help_text="阈值规则：达到该值得满分")
    target = forms.DecimalField(label="目标值", required=False, help_text="按比例计分：完成目标值得满分")
    per_event = forms.DecimalField(label="每次扣分", required=False, help_text="按次扣分：每发生一次扣的分数")
    bands = forms.CharField(label="分档", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="分档计分：每行一档，格式“界值,得分”，如 50000,8")

    class Meta:
        model = Indicator
        fields = ["code", "name", "guidance", "source", "provider", "value_type", "unit", "min_value", "max_value",
                  "aggregation", "frequency", "rule", "direction", "points", "required", "evidence_required",
                  "evidence_only_nonzero", "order"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"] = forms.ChoiceField(label="系统数据来源", required=False,
                                                    choices=[("", "—")] + provider_choices())
        params = self.instance.params or {}
        for key in ("threshold", "target", "per_event"):
            if key in params:
                self.initial[key] = params[key]
        if params.get("bands"):
            self.initial["bands"] = "\n".join(f"{b},{p}" for b, p in params["bands"])
        bootstrap(self)

    def clean_bands(self):
        text = self.cleaned_data.get("bands") or ""
        bands = []
        for line_number, line in enumerate((row for row in text.splitlines() if row.strip()), start=1):
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            try:
                bound, points = (Decimal(p) for p in parts)
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(MSG_BAND_LINE.format(line=line_number)) from None
            bands.append([float(bound) if bound != bound.to_integral_value() else int(bound),
                          float(points) if points != points.to_integral_value() else int(points)])
        return bands

    def clean(self):
        data = super().clean()
        rule = data.get("rule")
        params: dict = {}
        if rule == Rule.THRESHOLD and data.get("threshold") is not None:
            params["threshold"] = float(data["threshold"])
        elif rule == Rule.RATIO and data.get("target") is not None:
            params["target"] = float(data["target"])
        elif rule == Rule.DEDUCTION and data.get("per_event") is not None:
            params["per_event"] = float(data["per_event"])
        elif rule == Rule.BANDED:
            params["bands"] = data.get("bands") or []
        self.instance.params = params
        return data


class CopyForm(forms.Form):
    year = forms.IntegerField(label="新年度", min_value=2000, max_value=2100)

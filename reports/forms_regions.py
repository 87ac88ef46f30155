from django import forms

from villages.models import Kind

SORTS = {
    "code": ("code", "区划代码"),
    "name": ("name", "名称"),
    "-households": ("-households", "户数（多→少）"),
    "-population": ("-population", "人口（多→少）"),
    "-income": ("-income_total", "集体收入（高→低）"),
    "income": ("income_total", "集体收入（低→高）"),
}

BAND_CHOICES = [
    ("", "全部收入档次"),
    ("none", "空壳村（无收入）"),
    ("weak", "5万元以下"),
    ("basic", "5万至10万元"),
    ("ten", "10万至50万元"),
    ("fifty", "50万至100万元"),
    ("hundred", "100万元以上"),
]


class VillageFilterForm(forms.Form):
    """Search, filters and sort of the township's village list."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    q = forms.CharField(label="搜索", required=False, max_length=40,
                        widget=forms.TextInput(attrs={"placeholder": "村名或区划代码"}))
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别"), *Kind.choices])
    first_secretary = forms.ChoiceField(
        label="第一书记", required=False, choices=[("", "不限"), ("yes", "有驻村第一书记"), ("no", "无")]
    )
    weak_lax = forms.ChoiceField(label="软弱涣散", required=False, choices=[("", "不限"), ("yes", "是"), ("no", "否")])
    band = forms.ChoiceField(label="收入档次", required=False, choices=BAND_CHOICES)
    sort = forms.ChoiceField(label="排序", required=False, choices=[(k, v[1]) for k, v in SORTS.items()])

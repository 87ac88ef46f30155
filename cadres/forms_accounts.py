"""Forms of the accounts page."""

from __future__ import annotations

from django import forms

from config.forms import BootstrapFormMixin

from .accounts import grantable_regions, grantable_roles, is_county_manager
from .models import variant_star_choices


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        parent = obj.parent.name + " / " if obj.parent_id and obj.level == "village" else ""
        return f"{parent}{obj.name}（{obj.get_level_display()}）"


class RegionPickerSelect(forms.Select):
    """The region of a new post: townships first, each followed by its villages (one option
    group per township), every option carrying its division code, so the search box that
    app.js puts above a `data-region-picker` select finds a village by name or code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs["data-region-picker"] = ""
        self.codes: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        code = self.codes.get(str(value))
        if code:
            option["attrs"]["data-code"] = code
        return option


def _kind_word(region) -> str:
    if region.level == "village":
        return "社区" if region.is_urban else "行政村"
    return "乡镇" if region.level == "township" else region.get_level_display()


def region_groups(regions) -> list:
    """Grouped choices: the county (and above) first, then each township with its villages."""
    top, groups = [], {}
    for region in regions:
        label = f"{region.name}（{_kind_word(region)}）"
        if region.level == "township":
            groups.setdefault(region.code[:9], [region.name, []])[1].insert(0, (region.pk, label))
        elif region.level == "village":
            township = groups.setdefault(region.code[:9], [region.parent.name if region.parent_id else "", []])
            township[1].append((region.pk, label))
        else:
            top.append((region.pk, label))
    choices = [("", "请选择")] + ([("县（区）", top)] if top else [])
    return choices + [(name, options) for _, (name, options) in sorted(groups.items())]


class PostFields(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label="角色")
    region = RegionChoiceField(label="任职区划", queryset=None, empty_label="请选择", widget=RegionPickerSelect,
                               help_text="可输入乡镇、村名称或区划代码搜索；先选乡镇，其下列出各村（社区）")
    star = forms.ChoiceField(label="牵头星（牵头部门填写）", required=False,
                             choices=[("", "—")] + variant_star_choices(),
                             help_text="村的星和社区的星各有牵头部门，以当年评星标准为准")
    department = forms.CharField(label="部门名称", required=False, max_length=60)
    start_date = forms.DateField(label="任职开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="留空为今天")

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = grantable_roles(by)
        regions = grantable_regions(by).select_related("parent").order_by("code")
        self.fields["region"].queryset = regions
        widget = self.fields["region"].widget
        listed = list(regions)
        widget.choices = region_groups(listed)
        widget.codes = {str(r.pk): r.code for r in listed}
        if not (is_county_manager(by) or by.is_superuser):
            # Township staff give village posts only: no star, no department.
            del self.fields["star"], self.fields["department"]


class AccountCreateForm(PostFields):
    full_name = forms.CharField(label="姓名", max_length=40)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    organisation = forms.CharField(label="工作单位", max_length=100, required=False)
    username = forms.CharField(label="用户名", max_length=30, required=False, help_text="留空则按角色和区划自动生成")

    field_order = ["full_name", "phone", "organisation", "username", "role", "region", "star", "department",
                   "start_date"]


class AccountEditForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label="姓名", max_length=40)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    organisation = forms.CharField(label="工作单位", max_length=100, required=False)


class PostEndForm(BootstrapFormMixin, forms.Form):
    end_date = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

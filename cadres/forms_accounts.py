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


class PostFields(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label="角色")
    region = RegionChoiceField(label="任职区划", queryset=None, empty_label="请选择")
    star = forms.ChoiceField(label="牵头星（牵头部门填写）", required=False,
                             choices=[("", "—")] + variant_star_choices(),
                             help_text="村的星和社区的星各有牵头部门，以当年评星标准为准")
    department = forms.CharField(label="部门名称", required=False, max_length=60)
    start_date = forms.DateField(label="任职开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="留空为今天")

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = grantable_roles(by)
        self.fields["region"].queryset = grantable_regions(by).select_related("parent").order_by("code")
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

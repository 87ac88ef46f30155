from django.contrib import admin

from .models import Binding, CollectiveIncome, CollectiveIncomeMonth, Cooperative, Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "village", "project_type", "investment", "annual_income", "status", "households_benefiting")
    list_filter = ("project_type", "status", "is_leading_industry")
    search_fields = ("name", "owner", "village__name", "village__code")
    raw_id_fields = ("village",)


class BindingInline(admin.TabularInline):
    model = Binding
    extra = 0


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ("name", "village", "led_by_branch", "members", "business")
    list_filter = ("led_by_branch",)
    search_fields = ("name", "village__name", "village__code")
    raw_id_fields = ("village",)
    inlines = [BindingInline]


class ReadOnlyIncomeAdmin(admin.ModelAdmin):
    """Income is read here, entered on the pages: a year's row must stay the sum of its months,
    which only projects.services keeps."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CollectiveIncome)
class CollectiveIncomeAdmin(ReadOnlyIncomeAdmin):
    list_display = ("village", "year", "total", "operating", "source", "updated_by", "updated_at")
    list_filter = ("year", "source")
    search_fields = ("village__name", "village__code")
    list_select_related = ("village", "updated_by")


@admin.register(CollectiveIncomeMonth)
class CollectiveIncomeMonthAdmin(ReadOnlyIncomeAdmin):
    list_display = ("village", "year", "month", "total", "operating", "created_by", "updated_by", "updated_at")
    list_filter = ("year", "month")
    search_fields = ("village__name", "village__code")
    list_select_related = ("village", "created_by", "updated_by")

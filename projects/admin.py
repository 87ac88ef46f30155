from django.contrib import admin

from .models import Binding, CollectiveIncome, Cooperative, Project


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


@admin.register(CollectiveIncome)
class CollectiveIncomeAdmin(admin.ModelAdmin):
    list_display = ("village", "year", "total", "operating")
    list_filter = ("year",)
    search_fields = ("village__name", "village__code")
    raw_id_fields = ("village",)

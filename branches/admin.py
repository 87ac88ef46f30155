from django.contrib import admin

from .models import Branch, CommitteeMember, Rectification


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0


class RectificationInline(admin.StackedInline):
    model = Rectification
    extra = 0


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("name", "village", "org_type", "secretary_name", "secretary_is_head", "member_count", "is_weak_lax")
    list_filter = ("org_type", "is_weak_lax", "secretary_is_head")
    search_fields = ("name", "secretary_name", "village__name", "village__code")
    raw_id_fields = ("village",)
    inlines = [CommitteeMemberInline, RectificationInline]


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ("branch", "year", "status", "listed_on", "accepted_on")
    list_filter = ("status", "year")
    raw_id_fields = ("branch",)

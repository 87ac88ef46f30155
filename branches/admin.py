from django.contrib import admin

from .models import Branch, CommitteeMember, Rectification
from .models_records import Decision, Meeting, Posting, RecordEvent, RectificationUpdate


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


class RectificationUpdateInline(admin.TabularInline):
    model = RectificationUpdate
    extra = 0
    readonly_fields = ("created_by", "created_at")


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    inlines = [RectificationUpdateInline]
    list_display = ("branch", "year", "status", "listed_on", "accepted_on")
    list_filter = ("status", "year")
    raw_id_fields = ("branch",)



@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("date", "village", "type", "topic", "attendance", "members_expected", "created_by")
    list_filter = ("type",)
    date_hierarchy = "date"
    search_fields = ("topic", "village__name", "village__code")
    raw_id_fields = ("village",)
    readonly_fields = ("created_by", "created_at", "updated_by", "updated_at")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("matter", "village", "proposed_on", "result_published_on")
    search_fields = ("matter", "village__name", "village__code")
    raw_id_fields = ("village",)
    readonly_fields = ("created_by", "created_at", "updated_by", "updated_at")


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    list_display = ("village", "category", "year", "month", "posted_on")
    list_filter = ("category", "year")
    search_fields = ("village__name", "village__code", "content")
    raw_id_fields = ("village",)
    readonly_fields = ("created_by", "created_at", "updated_by", "updated_at")


@admin.register(RecordEvent)
class RecordEventAdmin(admin.ModelAdmin):
    list_display = ("at", "record_type", "record_id", "village", "action", "actor")
    list_filter = ("record_type", "action")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from .models_community import CommunityNeed, CommunityResource, NeedMatch  # noqa: E402


@admin.register(CommunityNeed)
class CommunityNeedAdmin(admin.ModelAdmin):
    list_display = ("community", "title", "category", "raised_on", "status")
    list_filter = ("category", "status")
    search_fields = ("community__name", "community__code", "title")
    raw_id_fields = ("community", "recorded_by")


@admin.register(CommunityResource)
class CommunityResourceAdmin(admin.ModelAdmin):
    list_display = ("community", "provider_name", "provider_kind", "category", "offered_on", "withdrawn_on")
    list_filter = ("provider_kind", "category")
    search_fields = ("community__name", "provider_name", "description")
    raw_id_fields = ("community", "recorded_by")


@admin.register(NeedMatch)
class NeedMatchAdmin(admin.ModelAdmin):
    list_display = ("need", "resource", "matched_on", "done_on", "cancelled_on")
    raw_id_fields = ("need", "resource", "matched_by", "done_by")


# --- the member roster's county data: the list of post kinds and the points scheme ------------

from .models_members import Member, PointsItem, PostKind  # noqa: E402


@admin.register(PostKind)
class PostKindAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "order", "is_active")
    list_filter = ("is_active",)
    raw_id_fields = ("county",)


@admin.register(PointsItem)
class PointsItemAdmin(admin.ModelAdmin):
    list_display = ("source", "county", "points", "monthly_cap")
    raw_id_fields = ("county",)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    """Read-only here: the roster is kept through its pages and import (with the audit trail)."""

    list_display = ("name", "branch", "category", "standing", "left_on")
    list_filter = ("category", "standing")
    search_fields = ("name", "branch__village__name", "branch__village__code")
    raw_id_fields = ("branch",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Assignment, ContactVisit, FirstSecretary, Post, User, WorkTeamMember


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    raw_id_fields = ("region",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "phone", "organisation", "is_active", "is_staff")
    search_fields = ("username", "full_name", "phone")
    fieldsets = BaseUserAdmin.fieldsets + (("工作信息", {"fields": ("full_name", "phone", "organisation")}),)
    inlines = [PostInline]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "star", "department", "is_active")
    list_filter = ("role", "star", "is_active")
    search_fields = ("user__username", "user__full_name", "region__name", "region__code")
    raw_id_fields = ("user", "region")


class WorkTeamMemberInline(admin.TabularInline):
    model = WorkTeamMember
    extra = 0


@admin.register(FirstSecretary)
class FirstSecretaryAdmin(admin.ModelAdmin):
    list_display = ("name", "village", "dispatch_unit", "dispatch_level", "term_start", "term_end", "status")
    list_filter = ("status", "dispatch_level")
    search_fields = ("name", "dispatch_unit", "village__name", "village__code")
    raw_id_fields = ("village", "user")
    inlines = [WorkTeamMemberInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["year", "region", "duty", "tier", "person_name", "start_date", "end_date"]
    list_filter = ["year", "duty", "tier"]
    search_fields = ["person_name", "region__name", "region__code"]
    raw_id_fields = ["person", "region", "created_by", "ended_by"]


@admin.register(ContactVisit)
class ContactVisitAdmin(admin.ModelAdmin):
    list_display = ["date", "village", "visitor"]
    search_fields = ["village__name", "findings"]
    raw_id_fields = ["assignment", "visitor", "village"]

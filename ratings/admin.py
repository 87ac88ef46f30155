from django.contrib import admin

from .models import Evidence, Indicator, LedgerEntry, LedgerEvent, LedgerWindow, Standard, Star


class StarInline(admin.TabularInline):
    model = Star
    extra = 0


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "kind", "status", "prerequisite_from_level", "published_at")
    list_filter = ("year", "kind", "status")
    inlines = [StarInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("order", "code", "name", "source", "provider", "rule", "params", "points", "required")


@admin.register(Star)
class StarAdmin(admin.ModelAdmin):
    list_display = ("name", "standard", "code", "lead_department", "pass_mark", "is_prerequisite")
    list_filter = ("standard", "code")
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "star", "source", "rule", "points", "required")
    list_filter = ("star__standard", "star__code", "source", "rule", "required")
    search_fields = ("code", "name")


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


class LedgerEventInline(admin.TabularInline):
    model = LedgerEvent
    extra = 0
    readonly_fields = ("action", "actor", "at", "before", "after", "note")
    can_delete = False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ("village", "indicator", "year", "month", "value", "status", "entered_by", "reviewed_by")
    list_filter = ("status", "year", "month", "indicator__star__code")
    search_fields = ("village__name", "village__code", "indicator__code", "indicator__name")
    raw_id_fields = ("village", "indicator", "entered_by", "reviewed_by", "supersedes")
    inlines = [EvidenceInline, LedgerEventInline]


@admin.register(LedgerWindow)
class LedgerWindowAdmin(admin.ModelAdmin):
    list_display = ("township", "year", "month", "open_until", "opened_by", "opened_at")
    raw_id_fields = ("township", "opened_by")


from .models import Commentary, WeeklyReport  # noqa: E402


@admin.register(WeeklyReport)
class WeeklyReportAdmin(admin.ModelAdmin):
    list_display = ("village", "iso_year", "week", "week_start", "submitted_at")
    list_filter = ("iso_year",)
    search_fields = ("village__name", "village__code")
    raw_id_fields = ("village", "submitted_by")


@admin.register(Commentary)
class CommentaryAdmin(admin.ModelAdmin):
    list_display = ("township", "year", "month", "updated_at")
    list_filter = ("year", "month")
    raw_id_fields = ("township", "written_by")

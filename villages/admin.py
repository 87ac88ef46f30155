from django.contrib import admin

from .models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent", "households", "population", "is_active")
    list_filter = ("level", "kind", "is_active")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    list_per_page = 50

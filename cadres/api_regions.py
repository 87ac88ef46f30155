import django_filters
from rest_framework import serializers, viewsets

from villages.models import Kind, Level, Region

from .api_scope import ScopedQuerysetMixin


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Region
        fields = [
            "id", "code", "name", "level", "level_display", "kind", "kind_display", "parent_code",
            "households", "population", "area_km2", "natural_villages", "cultivated_mu", "is_active",
        ]


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    parent = django_filters.CharFilter(field_name="parent__code", label="上级区划代码")
    code_prefix = django_filters.CharFilter(field_name="code", lookup_expr="startswith", label="区划代码前缀")
    name = django_filters.CharFilter(lookup_expr="contains", label="名称包含")

    class Meta:
        model = Region
        fields = ["level", "kind", "parent", "code_prefix", "name"]


class RegionViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Regions within the caller's scope. Look a region up by its division code."""

    queryset = Region.objects.select_related("parent").order_by("code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name", "households", "population"]


ROUTES = [("regions", RegionViewSet, "region")]

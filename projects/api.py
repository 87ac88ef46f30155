import django_filters
from rest_framework import serializers, viewsets

from cadres.api_scope import ScopedQuerysetMixin

from .models import Binding, CollectiveIncome, Cooperative, IncomeBand, Project, ProjectStatus, ProjectType


class VillageFieldsMixin(serializers.Serializer):
    village_code = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)


class ProjectSerializer(VillageFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = [
            "id", "village_code", "village_name", "name", "project_type", "investment", "started_on", "status",
            "owner", "annual_income", "households_benefiting", "jobs_created", "is_leading_industry",
        ]


class BindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Binding
        fields = ["enterprise", "farmers_bound", "started_on", "terms"]


class CooperativeSerializer(VillageFieldsMixin, serializers.ModelSerializer):
    bindings = BindingSerializer(many=True, read_only=True)

    class Meta:
        model = Cooperative
        fields = ["id", "village_code", "village_name", "name", "led_by_branch", "established_on", "members",
                  "business", "bindings"]


class IncomeSerializer(VillageFieldsMixin, serializers.ModelSerializer):
    band = serializers.CharField(read_only=True)
    band_display = serializers.CharField(source="get_band_display", read_only=True)

    class Meta:
        model = CollectiveIncome
        fields = ["id", "village_code", "village_name", "year", "total", "operating", "band", "band_display"]


class VillageFilter(django_filters.FilterSet):
    township = django_filters.CharFilter(field_name="village__parent__code", label="乡镇区划代码")
    village = django_filters.CharFilter(field_name="village__code", label="村区划代码")


class ProjectFilter(VillageFilter):
    project_type = django_filters.ChoiceFilter(choices=ProjectType.choices)
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)

    class Meta:
        model = Project
        fields = ["township", "village", "project_type", "status", "is_leading_industry"]


class CooperativeFilter(VillageFilter):
    class Meta:
        model = Cooperative
        fields = ["township", "village", "led_by_branch"]



class IncomeFilter(VillageFilter):
    band = django_filters.ChoiceFilter(choices=IncomeBand.choices, method="filter_band", label="收入档次")

    class Meta:
        model = CollectiveIncome
        fields = ["township", "village", "year", "band"]

    def filter_band(self, queryset, name, value):
        from .figures import INCOME_BAND_RANGES

        low, high = INCOME_BAND_RANGES[value]
        if value == "none":
            return queryset.filter(total__lte=0)
        queryset = queryset.filter(total__gt=0) if low == 0 else queryset.filter(total__gte=low)
        return queryset.filter(total__lt=high) if high is not None else queryset


class ProjectViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Collective-economy projects of the villages within the caller's scope."""

    queryset = Project.objects.select_related("village")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    scope_field = "village__code"
    search_fields = ["name", "owner", "village__name"]
    ordering_fields = ["village__code", "investment", "annual_income", "started_on"]
    ordering = ["village__code", "name"]


class CooperativeViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Cooperatives (支部领办合作社) with their bindings (双绑)."""

    queryset = Cooperative.objects.select_related("village").prefetch_related("bindings")
    serializer_class = CooperativeSerializer
    filterset_class = CooperativeFilter
    scope_field = "village__code"
    search_fields = ["name", "village__name"]
    ordering = ["village__code", "name"]


class IncomeViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Yearly collective income (yuan) with its band."""

    queryset = CollectiveIncome.objects.select_related("village")
    serializer_class = IncomeSerializer
    filterset_class = IncomeFilter
    scope_field = "village__code"
    ordering_fields = ["village__code", "year", "total", "operating"]
    ordering = ["village__code", "-year"]


ROUTES = [
    ("projects", ProjectViewSet, "project"),
    ("cooperatives", CooperativeViewSet, "cooperative"),
    ("incomes", IncomeViewSet, "income"),
]

"""Write endpoints of the collective economy (the read-only registers stay in projects.api).

`/api/economy/projects/`, `cooperatives/`, `bindings/`, `incomes/` (a year entered as a whole)
and `income-months/` (a month; the year's row becomes the sum of its months). Everyone reads
the rows of their scope; township staff and the county organisation department write them for
the villages of their scope (403 otherwise); a row outside the scope is a 404. Writes go
through projects.services, so the page and the API follow the same rules and messages.
"""

from __future__ import annotations

from decimal import Decimal

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from cadres.api_scope import ScopedQuerysetMixin
from cadres.scope import scope_q
from villages.models import Region

from . import services
from .access import is_editor
from .api import BindingSerializer, CooperativeFilter, IncomeFilter, ProjectFilter, VillageFilter
from .models import (
    MSG_OPERATING_ABOVE_TOTAL,
    Binding,
    CollectiveIncome,
    CollectiveIncomeMonth,
    Cooperative,
    Project,
)


class EditorOrReadOnly(permissions.BasePermission):
    message = "只有乡镇专干或县委组织部可以维护集体经济数据"

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or is_editor(request.user)


class VillageCodeField(serializers.SlugRelatedField):
    """A village named by its 12-digit division code."""

    # Looked up only within the caller's scope: a code outside it reads exactly as an unknown
    # one (400, no village name), so codes cannot be probed for other townships' villages.
    default_error_messages = {"does_not_exist": "区划代码“{value}”不存在或不在您的权限范围内", "invalid": "区划代码无效"}

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return Region.objects.villages().filter(scope_q(self.context["request"].user))


class _Register(ScopedQuerysetMixin, viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, EditorOrReadOnly]
    scope_field = "village__code"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = self.create_row(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.update_row(serializer.instance, by=self.request.user, **serializer.validated_data)


class ProjectWriteSerializer(serializers.ModelSerializer):
    village = VillageCodeField()
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "village", "village_name", "name", "project_type", "status", "investment", "annual_income",
                  "started_on", "owner", "households_benefiting", "jobs_created", "is_leading_industry", "description",
                  "updated_at"]
        read_only_fields = ["updated_at"]


@extend_schema_view(create=extend_schema(summary="新增集体经济项目"), update=extend_schema(summary="修改集体经济项目"),
                    destroy=extend_schema(summary="删除集体经济项目"))
class ProjectRegisterViewSet(_Register):
    """Collective-economy projects: read in scope, written by township staff and the county."""

    queryset = Project.objects.select_related("village")
    serializer_class = ProjectWriteSerializer
    filterset_class = ProjectFilter
    ordering = ["village__code", "name"]
    ordering_fields = ["village__code", "investment", "annual_income", "started_on"]

    def create_row(self, *, by, **data):
        return services.project_create(by=by, **data)

    def update_row(self, row, *, by, **data):
        return services.project_update(project=row, by=by, **data)

    def perform_destroy(self, instance):
        services.project_delete(project=instance, by=self.request.user)


class CooperativeWriteSerializer(serializers.ModelSerializer):
    village = VillageCodeField()
    village_name = serializers.CharField(source="village.name", read_only=True)
    bindings = BindingSerializer(many=True, read_only=True)

    class Meta:
        model = Cooperative
        fields = ["id", "village", "village_name", "name", "led_by_branch", "established_on", "members", "business",
                  "bindings"]


class CooperativeRegisterViewSet(_Register):
    """Cooperatives led by the branch (支部领办合作社); deleting one deletes its bindings."""

    queryset = Cooperative.objects.select_related("village").prefetch_related("bindings")
    serializer_class = CooperativeWriteSerializer
    filterset_class = CooperativeFilter
    ordering = ["village__code", "name"]

    def create_row(self, *, by, **data):
        return services.cooperative_create(by=by, **data)

    def update_row(self, row, *, by, **data):
        return services.cooperative_update(cooperative=row, by=by, **data)

    def perform_destroy(self, instance):
        services.cooperative_delete(cooperative=instance, by=self.request.user)


class BindingWriteSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="cooperative.village.code", read_only=True)

    class Meta:
        model = Binding
        fields = ["id", "cooperative", "village", "enterprise", "farmers_bound", "started_on", "terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only cooperatives the caller sees can be named; others read as unknown.
            self.fields["cooperative"].queryset = Cooperative.objects.filter(scope_q(request.user, "village__code"))


class BindingFilter(VillageFilter):
    township = django_filters.CharFilter(field_name="cooperative__village__parent__code", label="乡镇区划代码")
    village = django_filters.CharFilter(field_name="cooperative__village__code", label="村区划代码")

    class Meta:
        model = Binding
        fields = ["township", "village", "cooperative"]


class BindingRegisterViewSet(_Register):
    """双绑: a cooperative bound to a leading enterprise and to farmers."""

    queryset = Binding.objects.select_related("cooperative__village")
    serializer_class = BindingWriteSerializer
    filterset_class = BindingFilter
    scope_field = "cooperative__village__code"
    ordering = ["cooperative__village__code", "id"]

    def create_row(self, *, by, **data):
        return services.binding_create(by=by, **data)

    def update_row(self, row, *, by, **data):
        return services.binding_update(binding=row, by=by, **data)

    def perform_destroy(self, instance):
        services.binding_delete(binding=instance, by=self.request.user)


class _AmountsMixin(serializers.Serializer):
    def validate(self, attrs):
        total = attrs.get("total", getattr(self.instance, "total", None))
        operating = attrs.get("operating", getattr(self.instance, "operating", None))
        if total is not None and operating is not None and operating > total:
            raise serializers.ValidationError({"operating": MSG_OPERATING_ABOVE_TOTAL})
        return attrs


class IncomeWriteSerializer(_AmountsMixin, serializers.ModelSerializer):
    village = VillageCodeField()
    band = serializers.CharField(read_only=True)
    created_by = serializers.CharField(source="created_by.display_name", read_only=True, default=None)
    updated_by = serializers.CharField(source="updated_by.display_name", read_only=True, default=None)

    class Meta:
        model = CollectiveIncome
        fields = ["id", "village", "year", "total", "operating", "note", "source", "band", "created_by", "created_at",
                  "updated_by", "updated_at"]
        read_only_fields = ["source", "created_at", "updated_at"]
        validators = []  # one row per village and year: the service updates it instead


class _Upsert(mixins.CreateModelMixin):
    """POST enters or corrects the figure (201 when created, 200 when it existed)."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row, outcome = self.save_figure(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(row).data,
                        status=status.HTTP_201_CREATED if outcome == services.CREATED else status.HTTP_200_OK)


@extend_schema_view(create=extend_schema(summary="按年度填报（或更正）集体经济收入"))
class IncomeRegisterViewSet(ScopedQuerysetMixin, _Upsert, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """A year's income. POST enters a whole year (refused for a year entered by month: 400);
    a monthly year's row is the sum of its months and is changed through income-months."""

    queryset = CollectiveIncome.objects.select_related("village", "created_by", "updated_by")
    serializer_class = IncomeWriteSerializer
    permission_classes = [permissions.IsAuthenticated, EditorOrReadOnly]
    filterset_class = IncomeFilter
    scope_field = "village__code"
    ordering = ["village__code", "-year"]

    def save_figure(self, *, by, village, year, total, operating=Decimal(0), note="", **_):
        return services.income_year_save(village=village, year=year, total=total, operating=operating, note=note, by=by)

    def perform_destroy(self, instance):
        services.income_year_delete(income=instance, by=self.request.user)


class IncomeMonthSerializer(_AmountsMixin, serializers.ModelSerializer):
    village = VillageCodeField()
    created_by = serializers.CharField(source="created_by.display_name", read_only=True, default=None)
    updated_by = serializers.CharField(source="updated_by.display_name", read_only=True, default=None)

    class Meta:
        model = CollectiveIncomeMonth
        fields = ["id", "village", "year", "month", "total", "operating", "created_by", "created_at", "updated_by",
                  "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class IncomeMonthFilter(VillageFilter):
    class Meta:
        model = CollectiveIncomeMonth
        fields = ["township", "village", "year", "month"]


@extend_schema_view(create=extend_schema(summary="填报（或更正）月度集体经济收入"))
class IncomeMonthViewSet(ScopedQuerysetMixin, _Upsert, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """A month's income. POST enters or corrects it; the year's row is re-summed. Refused (400)
    for a year entered as a whole."""

    queryset = CollectiveIncomeMonth.objects.select_related("village", "created_by", "updated_by")
    serializer_class = IncomeMonthSerializer
    permission_classes = [permissions.IsAuthenticated, EditorOrReadOnly]
    filterset_class = IncomeMonthFilter
    scope_field = "village__code"
    ordering = ["village__code", "-year", "month"]

    def save_figure(self, *, by, village, year, month, total, operating=Decimal(0), **_):
        return services.income_month_save(village=village, year=year, month=month, total=total, operating=operating,
                                          by=by)

    def perform_destroy(self, instance):
        services.income_month_delete(row=instance, by=self.request.user)


ROUTES = [
    ("economy/projects", ProjectRegisterViewSet, "economy-project"),
    ("economy/cooperatives", CooperativeRegisterViewSet, "economy-cooperative"),
    ("economy/bindings", BindingRegisterViewSet, "economy-binding"),
    ("economy/incomes", IncomeRegisterViewSet, "economy-income"),
    ("economy/income-months", IncomeMonthViewSet, "economy-income-month"),
]

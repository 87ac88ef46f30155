"""API for the campaign's task items, the problem ledger and the inspections, and what every
campaign API module shares (the village looked up in the caller's scope, the village and star
fields, the messages). The other workflows have their own modules beside it: api_awards.py
(targets, applications, withdrawals, notices), api_plans.py (township plans, four lists),
api_rewards.py, api_weekly.py.

Reads are scoped like every endpoint; writes go through the same services as the pages
(ratings/campaign/services/), so role, scope and order are checked once and refusals carry the
same Chinese messages (400 wrong state, 403 wrong role)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadres.api_scope import ScopedQuerysetMixin, region_in_scope_or_400
from cadres.models import StarCode
from cadres.scope import scope_q, visible_regions
from ratings.models import (
    ChecklistItem,
    Inspection,
    InspectionScore,
)
from ratings.selectors import inspections_for
from villages.models import Level, Region

from .services import checklist as checklist_services

MSG_UNKNOWN_VILLAGE = "权限范围内没有该村（社区）代码。"
MSG_UNKNOWN_TOWNSHIP = "权限范围内没有该乡镇代码。"
MSG_UNKNOWN_COUNTY_OR_TOWNSHIP = "权限范围内没有该乡镇或县。"


def village_for(user, code: str) -> Region:
    return region_in_scope_or_400(user, code, levels=[Level.VILLAGE], field="village", message=MSG_UNKNOWN_VILLAGE)


class VillageFieldsMixin(serializers.Serializer):
    village_code = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)


class StarNameMixin(serializers.Serializer):
    """The star as the village names it (宜业兴业星 for a community's `industry`)."""

    star_name = serializers.CharField(source="get_star_display", read_only=True)


# --- task items and the problem ledger --------------------------------------------------------

class ChecklistItemSerializer(VillageFieldsMixin, StarNameMixin, serializers.ModelSerializer):
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "village_code", "village_name", "year", "star", "star_name", "indicator_code", "origin", "title", "detail",
                  "gap", "owner_text", "due_date", "status", "overdue", "created_at", "closed_at", "closed_reason"]


class ProblemCreateSerializer(serializers.Serializer):
    village = serializers.CharField(help_text="村（社区）12 位代码")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    star = serializers.ChoiceField(choices=StarCode.choices)
    title = serializers.CharField(max_length=200)
    detail = serializers.CharField(required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class ProblemStepSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    owner_text = serializers.CharField(required=False, allow_blank=True, default="", help_text="交办时的责任人")
    due_date = serializers.DateField(required=False, allow_null=True, default=None, help_text="交办时的整改时限")


class ChecklistItemFilter(django_filters.FilterSet):
    village = django_filters.CharFilter(field_name="village__code")
    township = django_filters.CharFilter(field_name="village__parent__code")

    class Meta:
        model = ChecklistItem
        fields = ["year", "star", "origin", "status", "village", "township"]


PROBLEM_STEPS = {
    "report": checklist_services.problem_report,
    "assign": checklist_services.problem_assign,
    "feedback": checklist_services.problem_feedback,
    "close": checklist_services.problem_close,
    "complete": checklist_services.measure_complete,
}


class ChecklistItemViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Task items from the engine's gaps and problem items from inspections (问题台账).

    POST creates a problem item (township staff, organisation department); the steps
    report → assign → feedback → close are actions on an item."""

    queryset = ChecklistItem.objects.select_related("village")
    serializer_class = ChecklistItemSerializer
    filterset_class = ChecklistItemFilter
    scope_field = "village__code"
    ordering = ["village__code", "star", "pk"]

    @extend_schema(request=ProblemCreateSerializer, responses={201: ChecklistItemSerializer})
    def create(self, request, *args, **kwargs):
        data = ProblemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        village = village_for(request.user, values.pop("village"))
        item = checklist_services.problem_record(village=village, by=request.user, **values)
        return Response(ChecklistItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def _step(self, request, name: str):
        item = self.get_object()
        data = ProblemStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        kwargs = {"item": item, "by": request.user, "note": values["note"]}
        if name == "assign":
            kwargs.update(owner_text=values["owner_text"], due_date=values["due_date"])
        item = PROBLEM_STEPS[name](**kwargs)
        return Response(ChecklistItemSerializer(item).data)

    @extend_schema(request=ProblemStepSerializer, responses={200: ChecklistItemSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """Note progress on any open item (village roles, township staff); the status stays."""
        item = self.get_object()
        data = ProblemStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checklist_services.item_progress(item=item, by=request.user, note=data.validated_data["note"])
        return Response(ChecklistItemSerializer(item).data)

    @extend_schema(request=ProblemStepSerializer, responses={200: ChecklistItemSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Close a measure decided at a joint consultation (village roles, township staff), with a note."""
        return self._step(request, "complete")

    @extend_schema(request=ProblemStepSerializer, responses={200: ChecklistItemSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        return self._step(request, "report")

    @extend_schema(request=ProblemStepSerializer, responses={200: ChecklistItemSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._step(request, "assign")

    @extend_schema(request=ProblemStepSerializer, responses={200: ChecklistItemSerializer})
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        return self._step(request, "feedback")

    @extend_schema(request=ProblemStepSerializer, responses={200: ChecklistItemSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(request, "close")


# --- inspections ------------------------------------------------------------------------------

class InspectionScoreSerializer(VillageFieldsMixin, StarNameMixin, serializers.ModelSerializer):
    class Meta:
        model = InspectionScore
        fields = ["village_code", "village_name", "star", "star_name", "score", "note"]


class InspectionSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = ["id", "region_code", "region_name", "year", "quarter", "date", "scores"]

    @extend_schema_field(InspectionScoreSerializer(many=True))
    def get_scores(self, obj) -> list[dict]:
        # Only the caller's villages' scores: a township sees its own rows of a county inspection.
        prefixes = tuple(self.context["prefixes"])
        rows = [s for s in obj.scores.all() if s.village.code.startswith(prefixes)]
        return InspectionScoreSerializer(rows, many=True).data


class InspectionScoreInSerializer(serializers.Serializer):
    village = serializers.CharField(help_text="村（社区）12 位代码")
    star = serializers.ChoiceField(choices=StarCode.choices)
    score = serializers.CharField(allow_blank=True, help_text="0–100；空表示清除")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionCreateSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="乡镇或县的 12 位代码")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    date = serializers.DateField()
    scores = InspectionScoreInSerializer(many=True, required=False, default=list)


class InspectionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Quarterly inspections (观摩) with scores per village and star. A township sees its own
    inspections and the county's, with only its villages' scores."""

    serializer_class = InspectionSerializer
    filterset_fields = ["year", "quarter"]
    ordering = ["-date", "-pk"]

    def get_queryset(self):
        return inspections_for(self.request.user).select_related("region").prefetch_related("scores__village")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "prefixes": sorted(visible_regions(self.request.user))}

    def _rows(self, region: Region, rows) -> list:
        codes = {r["village"] for r in rows}
        villages = {v.code: v for v in Region.objects.filter(scope_q(self.request.user), level=Level.VILLAGE,
                                                              code__in=codes, code__startswith=region.prefix)}
        missing = sorted(codes - set(villages))
        if missing:
            raise serializers.ValidationError({"scores": [f"权限范围内没有村（社区）代码 {c}。" for c in missing]})
        return [(villages[r["village"]], r["star"], r["score"], r["note"]) for r in rows]

    @extend_schema(request=InspectionCreateSerializer, responses={201: InspectionSerializer})
    def create(self, request, *args, **kwargs):
        data = InspectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        region = region_in_scope_or_400(request.user, values["region"], levels=[Level.COUNTY, Level.TOWNSHIP],
                                        field="region", message=MSG_UNKNOWN_COUNTY_OR_TOWNSHIP)
        inspection = checklist_services.inspection_record(
            region=region, year=values["year"], quarter=values["quarter"], date=values["date"],
            scores=self._rows(region, values["scores"]), by=request.user)
        inspection = self.get_queryset().get(pk=inspection.pk)
        return Response(self.get_serializer(inspection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InspectionScoreInSerializer(many=True), responses={200: InspectionSerializer})
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        """Set scores on an inspection (all rows checked first; one bad row saves nothing)."""
        inspection = self.get_object()
        data = InspectionScoreInSerializer(data=request.data, many=True)
        data.is_valid(raise_exception=True)
        checklist_services.inspection_scores_save(
            inspection=inspection, scores=self._rows(inspection.region, data.validated_data), by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=inspection.pk)).data)



ROUTES = [
    ("checklist-items", ChecklistItemViewSet, "checklist-item"),
    ("inspections", InspectionViewSet, "inspection"),
]

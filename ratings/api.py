"""API for standards (read) and ledger entries (list, create, update, submit, approve, return).

Writes go through the same services as the pages, so the API refuses exactly what they refuse:
a row outside the caller's scope is a 404, an action the caller may not take a 403, an illegal
transition a 400 with the Chinese message.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a ValueError
from rest_framework.response import Response

from cadres.scope import scope_q
from config.params import MAX_ID
from villages.models import Region

from .access import entries_for_user
from .models import Indicator, LedgerEntry, LedgerEvent, Standard, Star
from .services import ledger as services
from .services.hooks import MSG_RECOMPUTE_DEFERRED, recompute_deferred, recompute_deferred_reset


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "guidance", "source", "provider", "value_type", "unit", "min_value",
                  "max_value", "aggregation", "frequency", "rule", "params", "direction", "points", "required",
                  "evidence_required", "evidence_only_nonzero", "order"]


class StarSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Star
        fields = ["id", "code", "name", "lead_department", "order", "pass_mark", "max_score", "is_prerequisite",
                  "indicators"]


class StandardSerializer(serializers.ModelSerializer):
    stars = StarSerializer(many=True, read_only=True)

    class Meta:
        model = Standard
        fields = ["id", "year", "kind", "name", "status", "prerequisite_from_level", "published_at", "stars"]


class StandardViewSet(viewsets.ReadOnlyModelViewSet):
    """Rating standards with their stars and indicators (the same for every county user)."""

    queryset = Standard.objects.prefetch_related("stars__indicators").order_by("-year", "kind")
    serializer_class = StandardSerializer
    filterset_fields = ["year", "kind", "status"]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")

    class Meta:
        model = LedgerEvent
        fields = ["action", "actor", "at", "before", "after", "note"]


class LedgerEntrySerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="village.code", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    star = serializers.CharField(source="indicator.star.code", read_only=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "village_code", "indicator_code", "star", "year", "month", "value", "text_value", "note",
                  "status", "version", "plausibility_flag", "return_reason", "entered_by", "submitted_at",
                  "reviewed_by", "reviewed_at", "supersedes"]
        read_only_fields = fields


class LedgerEntryWriteSerializer(serializers.Serializer):
    village_code = serializers.CharField(max_length=12)
    indicator_code = serializers.CharField(max_length=40)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    value = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    text_value = serializers.CharField(allow_blank=True, required=False, default="")
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=500)


class LedgerEntryUpdateSerializer(serializers.Serializer):
    value = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    text_value = serializers.CharField(allow_blank=True, required=False, default="")
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=500)
    version = serializers.IntegerField(min_value=1, help_text="the version this edit is based on")


class LedgerEntryFilter(django_filters.FilterSet):
    village = django_filters.CharFilter(field_name="village__code")
    township = django_filters.CharFilter(field_name="village__parent__code")
    star = django_filters.CharFilter(field_name="indicator__star__code")
    indicator = django_filters.CharFilter(field_name="indicator__code")
    flagged = django_filters.BooleanFilter(method="filter_flagged")

    class Meta:
        model = LedgerEntry
        fields = ["village", "township", "year", "month", "star", "indicator", "status", "flagged"]

    def filter_flagged(self, queryset, name, value):
        return queryset.exclude(plausibility_flag="") if value else queryset.filter(plausibility_flag="")


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), allow_empty=False,
                                max_length=5000)

    class Meta:
        ref_name = "LedgerEntryIds"


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "ReturnReason"


def _with_recompute_note(data) -> dict:
    """The approval is saved; when the broker could not take the recompute, say the figures
    follow within minutes (`recompute_note`) rather than fail."""
    data = dict(data)
    if recompute_deferred():
        data["recompute_note"] = MSG_RECOMPUTE_DEFERRED
    return data


class LedgerEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Ledger entries (台账) in the caller's scope, and their workflow."""

    serializer_class = LedgerEntrySerializer
    filterset_class = LedgerEntryFilter
    ordering_fields = ["year", "month", "village__code"]
    ordering = ["year", "month", "village__code", "indicator__order"]

    def get_queryset(self):
        return entries_for_user(self.request.user).select_related("village", "indicator__star")

    @extend_schema(request=LedgerEntryWriteSerializer, responses={201: LedgerEntrySerializer})
    def create(self, request):
        data = LedgerEntryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        village = get_object_or_404(Region.objects.filter(scope_q(request.user)), code=d["village_code"])
        indicator = Indicator.objects.filter(code=d["indicator_code"], star__standard__year=d["year"],
                                             star__standard__kind=village.kind or "rural").select_related(
            "star__standard").first()
        if indicator is None:
            raise ValidationError({"indicator_code": ["该年度标准中没有此指标"]})
        entry = services.ledger_entry_save(village=village, indicator=indicator, year=d["year"], month=d["month"],
                                           value=d.get("value"), text_value=d["text_value"], note=d["note"],
                                           by=request.user)
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LedgerEntryUpdateSerializer, responses={200: LedgerEntrySerializer})
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        data = LedgerEntryUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        entry = services.ledger_entry_save(village=entry.village, indicator=entry.indicator, year=entry.year,
                                           month=entry.month, value=d.get("value"), text_value=d["text_value"],
                                           note=d["note"], by=request.user, base_version=d["version"])
        return Response(LedgerEntrySerializer(entry).data)

    @extend_schema(request=None, responses={200: LedgerEntrySerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        entry = self.get_object()
        services.ledger_entries_submit(entries=[entry], by=request.user)
        entry.refresh_from_db()
        return Response(LedgerEntrySerializer(entry).data)

    @extend_schema(request=None, responses={200: LedgerEntrySerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        entry = self.get_object()
        recompute_deferred_reset()
        services.ledger_entries_approve(entries=[entry], by=request.user)
        entry.refresh_from_db()
        return Response(_with_recompute_note(LedgerEntrySerializer(entry).data))

    @extend_schema(request=IdsSerializer, responses={200: inline_serializer("Approved", {"approved": serializers.IntegerField()})})
    @action(detail=False, methods=["post"], url_path="approve-many")
    def approve_many(self, request):
        # A body that is not an object, ids that are not integers or overflow a database id: 400.
        body = IdsSerializer(data=request.data)
        if not body.is_valid():
            raise ValidationError({"ids": ["请提供台账编号列表"]})
        ids = body.validated_data["ids"]
        entries = list(self.get_queryset().filter(pk__in=ids))
        if len(entries) != len(set(ids)):
            return Response({"detail": "部分台账不存在或不在您的权限范围内"}, status=status.HTTP_404_NOT_FOUND)
        recompute_deferred_reset()
        return Response(_with_recompute_note(
            {"approved": services.ledger_entries_approve(entries=entries, by=request.user)}))

    @extend_schema(request=ReasonSerializer, responses={200: LedgerEntrySerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.ledger_entry_return(entry=self.get_object(), by=request.user, reason=body.validated_data["reason"])
        return Response(LedgerEntrySerializer(entry).data)

    @extend_schema(responses={200: EventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        return Response(EventSerializer(self.get_object().events.select_related("actor"), many=True).data)


ROUTES = [
    ("standards", StandardViewSet, "standard"),
    ("ledger-entries", LedgerEntryViewSet, "ledger-entry"),
]

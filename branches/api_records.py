"""API of the branch records: meetings (三会一课, 主题党日), decisions (四议两公开), postings
(三务公开) and rectifications of weak-and-lax branches. Scoped like every endpoint; writes go
through the same services as the pages (same checks, same Chinese messages)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadres.api_scope import ScopedQuerysetMixin
from cadres.models import Role
from cadres.scope import has_role, scope_q
from villages.models import Level, Region

from . import services
from .access import require_rectification_access
from .models import Rectification, RectificationStatus
from .models_records import Decision, Meeting, MeetingType, Posting, PostingCategory, RectificationUpdate

MSG_VILLAGE_UNKNOWN = "村（社区）区划代码不存在或不在您的权限范围内"


class VillageCodeField(serializers.SlugRelatedField):
    """A village by its division code, looked up only within the caller's scope."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        request = self.context["request"]
        return Region.objects.filter(scope_q(request.user), level=Level.VILLAGE)

    def to_internal_value(self, data):
        try:
            return self.get_queryset().get(code=data)
        except (Region.DoesNotExist, TypeError, ValueError):
            raise serializers.ValidationError(MSG_VILLAGE_UNKNOWN) from None


class RecordSerializer(serializers.ModelSerializer):
    village = VillageCodeField(help_text="村（社区）12位区划代码")
    village_name = serializers.CharField(source="village.name", read_only=True)
    created_by = serializers.CharField(source="created_by.display_name", read_only=True, default=None)
    updated_by = serializers.CharField(source="updated_by.display_name", read_only=True, default=None)

    audit_fields = ["created_by", "created_at", "updated_by", "updated_at"]


def _file_url(row, field: str, kind: str) -> str | None:
    """The scoped download route of a record's file, never its /media/ path."""
    from django.urls import reverse

    return reverse("branches:record_file", args=[kind, row.pk]) if getattr(row, field) else None


class MeetingSerializer(RecordSerializer):
    attendance_rate = serializers.FloatField(read_only=True, allow_null=True)
    attachment = serializers.SerializerMethodField()

    def get_attachment(self, row) -> str | None:
        return _file_url(row, "attachment", "meeting")

    class Meta:
        model = Meeting
        fields = ["id", "village", "village_name", "type", "date", "topic", "members_expected", "attendance",
                  "attendance_rate", "minutes", "attachment", *RecordSerializer.audit_fields]


class DecisionSerializer(RecordSerializer):
    steps_done = serializers.IntegerField(read_only=True)
    is_complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "village", "village_name", "matter", "proposed_on", "discussed_on", "reviewed_on",
                  "resolved_on", "resolution_published_on", "result_published_on", "note", "steps_done",
                  "is_complete", *RecordSerializer.audit_fields]


class PostingSerializer(RecordSerializer):
    photo = serializers.SerializerMethodField()

    def get_photo(self, row) -> str | None:
        return _file_url(row, "photo", "posting")

    class Meta:
        model = Posting
        fields = ["id", "village", "village_name", "category", "year", "month", "posted_on", "content", "photo",
                  *RecordSerializer.audit_fields]


class RecordFilter(django_filters.FilterSet):
    village = django_filters.CharFilter(field_name="village__code", label="村区划代码")
    township = django_filters.CharFilter(field_name="village__parent__code", label="乡镇区划代码")


class MeetingFilter(RecordFilter):
    type = django_filters.ChoiceFilter(choices=MeetingType.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="起始日期")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="截止日期")

    class Meta:
        model = Meeting
        fields = ["village", "township", "type", "date_from", "date_to"]


class DecisionFilter(RecordFilter):
    complete = django_filters.BooleanFilter(field_name="result_published_on", lookup_expr="isnull", exclude=True,
                                            label="已完成两公开")

    class Meta:
        model = Decision
        fields = ["village", "township", "complete"]


class PostingFilter(RecordFilter):
    category = django_filters.ChoiceFilter(choices=PostingCategory.choices)

    class Meta:
        model = Posting
        fields = ["village", "township", "category", "year", "month"]


class RecordViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """Create and update through the service (who may record, dates, audit trail)."""

    scope_field = "village__code"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    service = None
    record_name = ""

    def _save(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        village = data.pop("village", None) or instance.village
        if instance is not None:
            data[self.record_name] = instance
        return type(self).service(village=village, by=self.request.user, **data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = self._save(serializer)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        if not services.may_record(request.user, instance.village):
            raise PermissionDenied(services.MSG_NOT_RECORDER)
        row = self._save(serializer, instance)
        return Response(self.get_serializer(row).data)


@extend_schema_view(
    list=extend_schema(summary="组织生活记录列表（三会一课、主题党日）"),
    create=extend_schema(summary="记录一次组织生活（本村（社区）书记、第一书记或乡镇专干）"),
)
class MeetingViewSet(RecordViewSet):
    """Meetings of 三会一课 and 主题党日 of the villages within the caller's scope."""

    queryset = Meeting.objects.select_related("village", "created_by", "updated_by")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["date", "type", "village__code", "attendance"]
    ordering = ["-date", "-id"]
    search_fields = ["topic"]
    service = staticmethod(services.meeting_save)
    record_name = "meeting"

    def destroy(self, request, *args, **kwargs):
        services.meeting_delete(meeting=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(summary="“四议两公开”事项列表"))
class DecisionViewSet(RecordViewSet):
    """Matters decided through 四议两公开, with the date of each step."""

    queryset = Decision.objects.select_related("village", "created_by", "updated_by")
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["proposed_on", "village__code"]
    ordering = ["-proposed_on", "-id"]
    search_fields = ["matter"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    service = staticmethod(services.decision_save)
    record_name = "decision"


@extend_schema_view(list=extend_schema(summary="三务公开记录列表"))
class PostingViewSet(RecordViewSet):
    """Postings of party, village and financial affairs (三务公开)."""

    queryset = Posting.objects.select_related("village", "created_by", "updated_by")
    serializer_class = PostingSerializer
    filterset_class = PostingFilter
    ordering_fields = ["year", "month", "posted_on", "village__code"]
    ordering = ["-year", "-month", "-id"]
    search_fields = ["content"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    service = staticmethod(services.posting_save)
    record_name = "posting"


class RectificationUpdateSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.display_name", read_only=True, default=None)

    class Meta:
        model = RectificationUpdate
        fields = ["id", "date", "note", "created_by", "created_at"]
        read_only_fields = ["id", "created_by", "created_at"]


class RectificationRecordSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="branch.village.code", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    updates = RectificationUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = Rectification
        fields = ["id", "village", "branch_name", "year", "reason", "plan", "progress", "status", "listed_on",
                  "accepted_on", "accepted_by", "acceptance_note", "updates"]
        read_only_fields = fields


class PlanSerializer(serializers.Serializer):
    plan = serializers.CharField(help_text="整顿方案")


class AcceptSerializer(serializers.Serializer):
    accepted_on = serializers.DateField(required=False, help_text="验收日期，默认今天")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="验收意见")


class RectificationFilter(django_filters.FilterSet):
    village = django_filters.CharFilter(field_name="branch__village__code", label="村区划代码")
    status = django_filters.ChoiceFilter(choices=RectificationStatus.choices)

    class Meta:
        model = Rectification
        fields = ["village", "status", "year"]


class RectificationRecordViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Rectifications of weak-and-lax branches (township and county roles): plan, progress, acceptance."""

    queryset = Rectification.objects.select_related("branch__village").prefetch_related("updates__created_by")
    serializer_class = RectificationRecordSerializer
    filterset_class = RectificationFilter
    scope_field = "branch__village__code"
    ordering_fields = ["year", "listed_on", "status"]
    ordering = ["-year", "branch__village__code"]

    def get_queryset(self):
        require_rectification_access(self.request.user)
        return super().get_queryset()

    def _done(self, rectification):
        return Response(self.get_serializer(Rectification.objects.get(pk=rectification.pk)).data)

    @extend_schema(request=PlanSerializer, responses=RectificationRecordSerializer, summary="制定或修改整顿方案")
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        body = PlanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(services.rectification_plan_save(rectification=self.get_object(),
                                                           plan=body.validated_data["plan"], by=request.user))

    @extend_schema(request=RectificationUpdateSerializer, responses=RectificationRecordSerializer, summary="报告整顿进展")
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        body = RectificationUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rectification = self.get_object()
        services.rectification_progress_add(rectification=rectification, note=body.validated_data["note"],
                                            date=body.validated_data["date"], by=request.user)
        return self._done(rectification)

    @extend_schema(request=AcceptSerializer, responses=RectificationRecordSerializer,
                   summary="验收销号（县委组织部），清除软弱涣散标记")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        if not has_role(request.user, Role.ORGANISATION):
            raise PermissionDenied(services.MSG_NOT_ACCEPTOR)
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(services.rectification_accept(rectification=self.get_object(), by=request.user,
                                                        **body.validated_data))


ROUTES = [
    ("branch-meetings", MeetingViewSet, "branch-meeting"),
    ("branch-decisions", DecisionViewSet, "branch-decision"),
    ("branch-postings", PostingViewSet, "branch-posting"),
    ("branch-rectifications", RectificationRecordViewSet, "branch-rectification"),
]

"""API for first secretaries' work records: sign-ins, leave, spot checks, monthly reports and
yearly evaluations. Every list is scoped to the caller's regions (a row outside is a 404); every
write goes through cadres/services_work.py, so the API refuses what the pages refuse, with the
same Chinese message (400 for a refused input, 403 for a wrong role)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a ValueError
from rest_framework.response import Response

from cadres.api_scope import ScopedQuerysetMixin
from villages.models import Level, Region

from .models import FirstSecretary
from .models_work import (
    Evaluation,
    EvaluationGrade,
    LeaveRequest,
    LeaveStatus,
    MonthlyReport,
    ReportStatus,
    SignIn,
    SpotCheck,
)
from .selectors import first_secretaries_for
from .services_work import (
    evaluation_record,
    leave_decide,
    leave_request,
    monthly_report_mark_read,
    monthly_report_save,
    sign_in_record,
    spot_check_record,
)

MSG_NO_OWN_FIRST_SECRETARY = "您不是在任的第一书记，请指定第一书记。"
MSG_UNKNOWN_VILLAGE = "没有该村（社区）。"

FS_FIELD = "first_secretary__village__code"


def _target_first_secretary(request, pk: int | None) -> FirstSecretary:
    """The first secretary a write is about: the one named (404 outside the caller's scope), or
    the caller's own serving first secretary when none is named."""
    if pk is not None:
        return get_object_or_404(first_secretaries_for(request.user), pk=pk)
    own = FirstSecretary.objects.serving().select_related("village").filter(user=request.user).first()
    if own is None:
        raise PermissionDenied(MSG_NO_OWN_FIRST_SECRETARY)
    return own


class RecordFilter(django_filters.FilterSet):
    """Filters shared by every record type: whose record, which village or township."""

    first_secretary = django_filters.NumberFilter(field_name="first_secretary_id", label="第一书记 ID")
    village = django_filters.CharFilter(field_name="first_secretary__village__code", label="村区划代码")
    township = django_filters.CharFilter(field_name="first_secretary__village__parent__code", label="乡镇区划代码")


class DatedRecordFilter(RecordFilter):
    """Records of a day (sign-ins, spot checks): also a date range."""

    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")


class _RecordViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    scope_field = FS_FIELD
    ordering_fields = ["first_secretary__village__code"]


# --- sign-ins ----------------------------------------------------------------------------------


class SignInSerializer(serializers.ModelSerializer):
    first_secretary_name = serializers.CharField(source="first_secretary.name", read_only=True)
    village_code = serializers.CharField(source="village.code", read_only=True)

    class Meta:
        model = SignIn
        fields = ["id", "first_secretary", "first_secretary_name", "village_code", "date", "time", "note", "created_at"]


class SignInWriteSerializer(serializers.Serializer):
    first_secretary = serializers.IntegerField(required=False, help_text="省略时为本人")
    village_code = serializers.CharField(required=False, help_text="签到所在的村，必须是本人驻村的村")
    date = serializers.DateField(required=False, help_text="省略时为今天；补签不得超过允许天数")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class SignInFilter(DatedRecordFilter):
    class Meta:
        model = SignIn
        fields = ["first_secretary", "village", "township", "date", "date_from", "date_to"]


class SignInViewSet(mixins.CreateModelMixin, _RecordViewSet):
    """Daily sign-ins (签到) of first secretaries; a first secretary signs in only for himself,
    in his own village."""

    queryset = SignIn.objects.select_related("first_secretary", "village")
    serializer_class = SignInSerializer
    filterset_class = SignInFilter
    ordering_fields = ["date", "first_secretary__village__code"]
    ordering = ["-date", "first_secretary__village__code"]

    @extend_schema(request=SignInWriteSerializer, responses={201: SignInSerializer})
    def create(self, request, *args, **kwargs):
        data = SignInWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        fs = _target_first_secretary(request, d.get("first_secretary"))
        village = None
        if d.get("village_code"):
            village = Region.objects.filter(code=d["village_code"], level=Level.VILLAGE).first()
            if village is None:
                raise serializers.ValidationError({"village_code": [MSG_UNKNOWN_VILLAGE]})
        sign_in = sign_in_record(first_secretary=fs, date=d.get("date") or timezone.localdate(), by=request.user,
                                 note=d["note"], village=village)
        return Response(SignInSerializer(sign_in).data, status=status.HTTP_201_CREATED)


# --- leave -------------------------------------------------------------------------------------


class LeaveRequestSerializer(serializers.ModelSerializer):
    first_secretary_name = serializers.CharField(source="first_secretary.name", read_only=True)
    village_code = serializers.CharField(source="first_secretary.village.code", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.display_name", read_only=True, default=None)

    class Meta:
        model = LeaveRequest
        fields = ["id", "first_secretary", "first_secretary_name", "village_code", "start", "end", "reason", "status",
                  "decided_by_name", "decided_at", "decision_note", "created_at"]


class LeaveWriteSerializer(serializers.Serializer):
    first_secretary = serializers.IntegerField(required=False, help_text="省略时为本人")
    start = serializers.DateField()
    end = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class LeaveDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 批准，false 不批准")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class LeaveFilter(RecordFilter):
    status = django_filters.ChoiceFilter(choices=LeaveStatus.choices)

    class Meta:
        model = LeaveRequest
        fields = ["first_secretary", "village", "township", "status"]


class LeaveRequestViewSet(mixins.CreateModelMixin, _RecordViewSet):
    """Leave requests (请假): asked by the first secretary, approved or refused by his township."""

    queryset = LeaveRequest.objects.select_related("first_secretary__village", "decided_by")
    serializer_class = LeaveRequestSerializer
    filterset_class = LeaveFilter
    ordering_fields = ["start", "created_at"]
    ordering = ["-start", "-pk"]

    @extend_schema(request=LeaveWriteSerializer, responses={201: LeaveRequestSerializer})
    def create(self, request, *args, **kwargs):
        data = LeaveWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        fs = _target_first_secretary(request, d.get("first_secretary"))
        leave = leave_request(first_secretary=fs, start=d["start"], end=d["end"], reason=d["reason"], by=request.user)
        return Response(LeaveRequestSerializer(leave).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LeaveDecisionSerializer, responses={200: LeaveRequestSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The township approves or refuses a pending leave, once."""
        leave = self.get_object()
        data = LeaveDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        leave = leave_decide(leave=leave, approve=data.validated_data["approve"], note=data.validated_data["note"],
                             by=request.user)
        return Response(LeaveRequestSerializer(leave).data)


# --- spot checks -------------------------------------------------------------------------------


class SpotCheckSerializer(serializers.ModelSerializer):
    first_secretary_name = serializers.CharField(source="first_secretary.name", read_only=True)
    checked_by_name = serializers.CharField(source="checked_by.display_name", read_only=True, default=None)

    class Meta:
        model = SpotCheck
        fields = ["id", "first_secretary", "first_secretary_name", "date", "present", "note", "checked_by_name",
                  "created_at"]


class SpotCheckWriteSerializer(serializers.Serializer):
    first_secretary = serializers.IntegerField()
    date = serializers.DateField()
    present = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class SpotCheckFilter(DatedRecordFilter):
    class Meta:
        model = SpotCheck
        fields = ["first_secretary", "village", "township", "present", "date_from", "date_to"]


class SpotCheckViewSet(mixins.CreateModelMixin, _RecordViewSet):
    """Weekly spot checks (在岗抽查) recorded by the township."""

    queryset = SpotCheck.objects.select_related("first_secretary", "checked_by")
    serializer_class = SpotCheckSerializer
    filterset_class = SpotCheckFilter
    ordering_fields = ["date"]
    ordering = ["-date", "-pk"]

    @extend_schema(request=SpotCheckWriteSerializer, responses={201: SpotCheckSerializer})
    def create(self, request, *args, **kwargs):
        data = SpotCheckWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        fs = _target_first_secretary(request, d["first_secretary"])
        check = spot_check_record(first_secretary=fs, date=d["date"], present=d["present"], note=d["note"],
                                  by=request.user)
        return Response(SpotCheckSerializer(check).data, status=status.HTTP_201_CREATED)


# --- monthly reports ---------------------------------------------------------------------------


class MonthlyReportSerializer(serializers.ModelSerializer):
    first_secretary_name = serializers.CharField(source="first_secretary.name", read_only=True)
    read_by_name = serializers.CharField(source="read_by.display_name", read_only=True, default=None)

    class Meta:
        model = MonthlyReport
        fields = ["id", "first_secretary", "first_secretary_name", "year", "month", "work_done", "problems",
                  "next_steps", "status", "submitted_at", "read_by_name", "read_at"]


class MonthlyReportWriteSerializer(serializers.Serializer):
    first_secretary = serializers.IntegerField(required=False, help_text="省略时为本人")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    work_done = serializers.CharField()
    problems = serializers.CharField(required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(required=False, default=False, help_text="true 提交（提交后不能再修改）")


class MonthlyReportFilter(RecordFilter):
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = MonthlyReport
        fields = ["first_secretary", "village", "township", "year", "month", "status"]


class MonthlyReportViewSet(mixins.CreateModelMixin, _RecordViewSet):
    """Monthly work reports (月报): saved or submitted by the first secretary, read by the
    township. A draft is visible to its author only."""

    queryset = MonthlyReport.objects.select_related("first_secretary", "read_by")
    serializer_class = MonthlyReportSerializer
    filterset_class = MonthlyReportFilter
    ordering_fields = ["year", "month"]
    ordering = ["-year", "-month", "first_secretary_id"]

    def get_queryset(self):
        return super().get_queryset().filter(
            ~Q(status=ReportStatus.DRAFT) | Q(first_secretary__user=self.request.user))

    @extend_schema(request=MonthlyReportWriteSerializer, responses={201: MonthlyReportSerializer})
    def create(self, request, *args, **kwargs):
        data = MonthlyReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        fs = _target_first_secretary(request, d.pop("first_secretary", None))
        report = monthly_report_save(first_secretary=fs, by=request.user, **d)
        return Response(MonthlyReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: MonthlyReportSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """The township marks a submitted report as read (已阅)."""
        report = monthly_report_mark_read(report=self.get_object(), by=request.user)
        return Response(MonthlyReportSerializer(report).data)


# --- yearly evaluations ------------------------------------------------------------------------


class EvaluationSerializer(serializers.ModelSerializer):
    first_secretary_name = serializers.CharField(source="first_secretary.name", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    evaluated_by_name = serializers.CharField(source="evaluated_by.display_name", read_only=True, default=None)

    class Meta:
        model = Evaluation
        fields = ["id", "first_secretary", "first_secretary_name", "year", "grade", "grade_display", "note",
                  "days_present", "reports_submitted", "evaluated_by_name", "created_at"]


class EvaluationWriteSerializer(serializers.Serializer):
    first_secretary = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    grade = serializers.ChoiceField(choices=EvaluationGrade.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class EvaluationFilter(RecordFilter):
    grade = django_filters.ChoiceFilter(choices=EvaluationGrade.choices)

    class Meta:
        model = Evaluation
        fields = ["first_secretary", "village", "township", "year", "grade"]


class EvaluationViewSet(mixins.CreateModelMixin, _RecordViewSet):
    """Yearly evaluations (年度考核: 优秀 / 称职 / 基本称职 / 不称职) recorded by the county
    organisation department, one per first secretary and year, with the evidence they rest on."""

    queryset = Evaluation.objects.select_related("first_secretary", "evaluated_by")
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilter
    ordering_fields = ["year", "grade"]
    ordering = ["-year", "first_secretary_id"]

    @extend_schema(request=EvaluationWriteSerializer, responses={201: EvaluationSerializer})
    def create(self, request, *args, **kwargs):
        data = EvaluationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        fs = _target_first_secretary(request, d["first_secretary"])
        evaluation = evaluation_record(first_secretary=fs, year=d["year"], grade=d["grade"], note=d["note"],
                                       by=request.user)
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


ROUTES = [
    ("sign-ins", SignInViewSet, "sign-in"),
    ("leave-requests", LeaveRequestViewSet, "leave-request"),
    ("spot-checks", SpotCheckViewSet, "spot-check"),
    ("monthly-reports", MonthlyReportViewSet, "monthly-report"),
    ("evaluations", EvaluationViewSet, "evaluation"),
]

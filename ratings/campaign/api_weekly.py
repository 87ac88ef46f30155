"""API of the weekly progress of key villages (重点村周进展) and the monthly commentaries (点评).

Reads are scoped like the pages (a row outside the caller's regions is a 404); writes go through
ratings/campaign/services/weekly.py, so the API refuses what the pages refuse with the same
Chinese message (400 for a refused input, 403 for a wrong role)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a ValueError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from cadres.api_scope import region_in_scope_or_400
from cadres.models import StarCode
from cadres.scope import has_role, scope_q
from ratings.models import Commentary, WeeklyReport
from villages.models import Level, Region

from .selectors_weekly import commentaries_for, reports_for, week_status
from .services import weekly as weekly_services
from .services.weekly import WEEK_READERS, StarProgress, Week, commentary_save, weekly_report_submit

MSG_UNKNOWN_VILLAGE = "权限范围内没有该村（社区）代码。"
MSG_UNKNOWN_TOWNSHIP = "权限范围内没有该乡镇代码。"
MSG_PAST_WEEK = "只能为本周的周进展补充照片。"
MSG_NO_ENTRY = "该周进展中没有这颗星的进展，请先填写进展情况。"


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, photo) -> str:
        from django.urls import reverse

        return reverse("campaign:weekly_photo", args=[photo.pk])


class EntrySerializer(serializers.Serializer):
    star = serializers.CharField()
    text = serializers.CharField()
    photos = PhotoSerializer(many=True, source="photos.all")


class WeeklyReportSerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    entries = EntrySerializer(many=True, source="entries.all", read_only=True)

    class Meta:
        model = WeeklyReport
        fields = ["id", "village_code", "village_name", "iso_year", "week", "week_start", "submitted_at",
                  "updated_at", "entries"]


class EntryInSerializer(serializers.Serializer):
    star = serializers.ChoiceField(choices=StarCode.choices)
    text = serializers.CharField(max_length=weekly_services.TEXT_MAX)


class WeeklyReportInSerializer(serializers.Serializer):
    village = serializers.CharField(help_text="村（社区）12 位代码；报送的总是本周（北京时间）的进展")
    entries = EntryInSerializer(many=True)


class PhotoInSerializer(serializers.Serializer):
    star = serializers.ChoiceField(choices=StarCode.choices)
    image = serializers.FileField(help_text="JPG 或 PNG 照片（按内容识别）")


class MissingSerializer(serializers.Serializer):
    village_code = serializers.CharField()
    village_name = serializers.CharField()


class WeeklyReportFilter(django_filters.FilterSet):
    village = django_filters.CharFilter(field_name="village__code", label="村（社区）代码")
    township = django_filters.CharFilter(field_name="village__parent__code", label="乡镇代码")

    class Meta:
        model = WeeklyReport
        fields = ["iso_year", "week", "village", "township"]


WEEK_PARAMS = [
    OpenApiParameter("township", str, required=True, description="乡镇 12 位区划代码"),
    OpenApiParameter("week", str, description="ISO 周，如 2026-W48；省略为本周"),
]


class WeeklyReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """重点村周进展. POST reports this week's progress of the caller's village (its secretary or
    first secretary); `photos` adds a photo to a star of this week's report; `missing` lists the
    key villages of a township that have not reported in a week."""

    serializer_class = WeeklyReportSerializer
    filterset_class = WeeklyReportFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WeeklyReport.objects.none()
        return reports_for(user=self.request.user).order_by("-week_start", "village__code")

    @extend_schema(request=WeeklyReportInSerializer, responses={201: WeeklyReportSerializer})
    def create(self, request, *args, **kwargs):
        data = WeeklyReportInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        village = region_in_scope_or_400(request.user, d["village"], levels=[Level.VILLAGE], field="village",
                                         message=MSG_UNKNOWN_VILLAGE)
        report = weekly_report_submit(by=request.user, village=village,
                                      entries=[StarProgress(star=e["star"], text=e["text"]) for e in d["entries"]])
        return Response(WeeklyReportSerializer(self.get_queryset().get(pk=report.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": PhotoInSerializer}, responses={200: WeeklyReportSerializer})
    @action(detail=True, methods=["post"])
    def photos(self, request, pk=None):
        report = self.get_object()
        data = PhotoInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if Week(report.iso_year, report.week) != weekly_services.current_week():
            raise serializers.ValidationError({"detail": MSG_PAST_WEEK})
        entry = report.entries.filter(star=data.validated_data["star"]).first()
        if entry is None:
            raise serializers.ValidationError({"star": [MSG_NO_ENTRY]})
        weekly_report_submit(by=request.user, village=report.village,
                             entries=[StarProgress(star=entry.star, text=entry.text,
                                                   photos=[data.validated_data["image"]])])
        return Response(WeeklyReportSerializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(parameters=WEEK_PARAMS, responses=MissingSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def missing(self, request):
        if not has_role(request.user, *WEEK_READERS):
            raise PermissionDenied("您无权查看乡镇的周进展。")
        township = get_object_or_404(Region.objects.filter(scope_q(request.user), level=Level.TOWNSHIP),
                                     code=request.query_params.get("township", ""))
        current = weekly_services.current_week()
        week = min(Week.parse(request.query_params.get("week"), current), current)
        rows = [r["village"] for r in week_status(township=township, week=week) if r["report"] is None]
        return Response(MissingSerializer([{"village_code": v.code, "village_name": v.name} for v in rows],
                                          many=True).data)


class CommentarySerializer(serializers.ModelSerializer):
    township_code = serializers.CharField(source="township.code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = Commentary
        fields = ["id", "township_code", "township_name", "year", "month", "text", "written_at", "updated_at"]


class CommentaryInSerializer(serializers.Serializer):
    township = serializers.CharField(help_text="乡镇 12 位区划代码")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    text = serializers.CharField(max_length=weekly_services.COMMENTARY_MAX)


class CommentaryFilter(django_filters.FilterSet):
    township = django_filters.CharFilter(field_name="township__code", label="乡镇代码")

    class Meta:
        model = Commentary
        fields = ["year", "month", "township"]


class CommentaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """县委组织部 monthly commentaries (点评) per township; a village sees its township's. POST
    (organisation department) writes a month's commentary, replacing an earlier text."""

    serializer_class = CommentarySerializer
    filterset_class = CommentaryFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Commentary.objects.none()
        return commentaries_for(user=self.request.user).order_by("-year", "-month", "township__code")

    @extend_schema(request=CommentaryInSerializer, responses={201: CommentarySerializer})
    def create(self, request, *args, **kwargs):
        data = CommentaryInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        township = region_in_scope_or_400(request.user, d["township"], levels=[Level.TOWNSHIP], field="township",
                                          message=MSG_UNKNOWN_TOWNSHIP)
        commentary = commentary_save(by=request.user, township=township, year=d["year"], month=d["month"],
                                     text=d["text"])
        return Response(CommentarySerializer(commentary).data, status=status.HTTP_201_CREATED)


ROUTES = [
    ("weekly-reports", WeeklyReportViewSet, "weekly-report"),
    ("commentaries", CommentaryViewSet, "commentary"),
]

"""API for the award workflow: target levels, applications (township check, star reviews, public
notice and objections, naming), star withdrawals and notices. Writes go through
ratings/campaign/services/awards.py, like the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadres.api_scope import ScopedQuerysetMixin
from cadres.models import StarCode
from ratings.models import (
    Application,
    Notice,
    StarWithdrawal,
    TargetLevel,
)

from .api import StarNameMixin, VillageFieldsMixin, village_for
from .services import awards as award_services


class TargetLevelSerializer(VillageFieldsMixin, serializers.ModelSerializer):
    village = serializers.CharField(write_only=True, help_text="村（社区）12 位代码")

    class Meta:
        model = TargetLevel
        fields = ["id", "village", "village_code", "village_name", "year", "level", "target_stars"]


class TargetLevelViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The year's target level per village (创建目标); POST sets or changes one."""

    queryset = TargetLevel.objects.select_related("village")
    serializer_class = TargetLevelSerializer
    filterset_fields = ["year", "level"]
    scope_field = "village__code"
    ordering = ["village__code"]

    def create(self, request, *args, **kwargs):
        data = TargetLevelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        target = award_services.target_set(
            village=village_for(request.user, values["village"]), year=values["year"], level=values["level"],
            target_stars=values.get("target_stars") or [], by=request.user)
        return Response(TargetLevelSerializer(target).data, status=status.HTTP_201_CREATED)


class StarReviewOutSerializer(serializers.Serializer):
    star = serializers.CharField()
    approved = serializers.BooleanField()
    reason = serializers.CharField()
    at = serializers.DateTimeField()


class ObjectionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    content = serializers.CharField()
    handling = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class ApplicationSerializer(VillageFieldsMixin, serializers.ModelSerializer):
    reviews = StarReviewOutSerializer(many=True, read_only=True)
    objections = ObjectionOutSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = ["id", "village_code", "village_name", "year", "stars", "status", "applied_at", "checked_at",
                  "notice_start", "notice_end", "named_at", "named_stars", "reviews", "objections"]


class ApplySerializer(serializers.Serializer):
    village = serializers.CharField(help_text="村（社区）12 位代码")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    stars = serializers.ListField(child=serializers.ChoiceField(choices=StarCode.choices))


class StarReviewInSerializer(serializers.Serializer):
    star = serializers.ChoiceField(choices=StarCode.choices)
    approved = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="不通过时必填")


class NoticeInSerializer(serializers.Serializer):
    days = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="公示天数，默认取系统设置")


class ObjectionInSerializer(serializers.Serializer):
    content = serializers.CharField()
    handling = serializers.CharField(required=False, allow_blank=True, default="")


class ObjectionHandleInSerializer(serializers.Serializer):
    objection = serializers.IntegerField()
    handling = serializers.CharField()


class WithdrawInSerializer(serializers.Serializer):
    star = serializers.ChoiceField(choices=StarCode.choices)
    reason = serializers.CharField()


class ApplicationViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Award applications: POST applies (village secretary); the steps township check → star
    review → public notice (objections) → naming, and withdrawal (降星), are actions."""

    queryset = Application.objects.select_related("village").prefetch_related("reviews", "objections")
    serializer_class = ApplicationSerializer
    filterset_fields = ["year", "status"]
    scope_field = "village__code"
    ordering = ["village__code"]

    @extend_schema(request=ApplySerializer, responses={201: ApplicationSerializer})
    def create(self, request, *args, **kwargs):
        data = ApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        application = award_services.application_submit(
            village=village_for(request.user, values["village"]), year=values["year"], stars=values["stars"],
            by=request.user)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    def _done(self, application):
        return Response(ApplicationSerializer(self.get_queryset().get(pk=application.pk)).data)

    def _in(self, request, serializer_class) -> dict:
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(request=None, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="check", url_name="check")
    def township_check(self, request, pk=None):
        app = self.get_object()
        award_services.application_township_check(application=app, by=request.user)
        return self._done(app)

    @extend_schema(request=StarReviewInSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        app, values = self.get_object(), self._in(request, StarReviewInSerializer)
        award_services.application_star_review(application=app, by=request.user, **values)
        return self._done(app)

    @extend_schema(request=NoticeInSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        app, values = self.get_object(), self._in(request, NoticeInSerializer)
        award_services.public_notice_start(application=app, by=request.user, days=values.get("days"))
        return self._done(app)

    @extend_schema(request=ObjectionInSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def objection(self, request, pk=None):
        app, values = self.get_object(), self._in(request, ObjectionInSerializer)
        award_services.objection_record(application=app, by=request.user, **values)
        return self._done(app)

    @extend_schema(request=ObjectionHandleInSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="handle-objection")
    def handle_objection(self, request, pk=None):
        app, values = self.get_object(), self._in(request, ObjectionHandleInSerializer)
        objection = app.objections.filter(pk=values["objection"]).first()
        if objection is None:
            raise serializers.ValidationError({"objection": "该申报没有这条异议。"})
        award_services.objection_handle(objection=objection, handling=values["handling"], by=request.user)
        return self._done(app)

    @extend_schema(request=None, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="name", url_name="name")
    def name_stars(self, request, pk=None):
        app = self.get_object()
        award_services.application_name(application=app, by=request.user)
        return self._done(app)

    @extend_schema(request=WithdrawInSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        app, values = self.get_object(), self._in(request, WithdrawInSerializer)
        award_services.star_withdraw(village=app.village, year=app.year, by=request.user, **values)
        return self._done(app)


class StarWithdrawalSerializer(VillageFieldsMixin, StarNameMixin, serializers.ModelSerializer):
    class Meta:
        model = StarWithdrawal
        fields = ["id", "village_code", "village_name", "year", "star", "star_name", "reason", "at", "township_notified"]


class StarWithdrawalViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Stars taken away during the year (降星), with the reason."""

    queryset = StarWithdrawal.objects.select_related("village")
    serializer_class = StarWithdrawalSerializer
    filterset_fields = ["year", "star"]
    scope_field = "village__code"
    ordering = ["-at"]


class NoticeSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "region_code", "text", "read", "created_at"]


class NoticeViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Messages to a region's users, e.g. a township told that a village lost a star."""

    queryset = Notice.objects.select_related("region")
    serializer_class = NoticeSerializer
    filterset_fields = ["read"]
    scope_field = "region__code"
    ordering = ["-created_at"]



ROUTES = [
    ("target-levels", TargetLevelViewSet, "target-level"),
    ("applications", ApplicationViewSet, "application"),
    ("star-withdrawals", StarWithdrawalViewSet, "star-withdrawal"),
    ("notices", NoticeViewSet, "notice"),
]

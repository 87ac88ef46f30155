"""API for the campaign workflows: task and problem items, inspections, targets, applications,
withdrawals and notices. Reads are scoped like every endpoint; writes go through the same
services as the pages (ratings/campaign/services/checklist.py and awards.py), so role, scope and order are
checked once and refusals carry the same Chinese messages (400 wrong state, 403 wrong role)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadres.api_scope import ScopedQuerysetMixin, region_in_scope_or_400
from cadres.models import StarCode
from cadres.scope import scope_q, visible_regions
from ratings.models import (
    Application,
    ChecklistItem,
    Inspection,
    InspectionScore,
    Notice,
    RewardDecision,
    RewardScheme,
    StarWithdrawal,
    TargetLevel,
    TownshipPlan,
)
from ratings.selectors import inspections_for
from villages.models import Level, Region

from .services import awards as award_services
from .services import checklist as checklist_services

MSG_UNKNOWN_VILLAGE = "权限范围内没有该村（社区）代码。"
MSG_UNKNOWN_TOWNSHIP = "权限范围内没有该乡镇代码。"
MSG_UNKNOWN_COUNTY_OR_TOWNSHIP = "权限范围内没有该乡镇或县。"


def _village_for(user, code: str) -> Region:
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
        village = _village_for(request.user, values.pop("village"))
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


# --- targets, applications, withdrawals, notices ----------------------------------------------

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
            village=_village_for(request.user, values["village"]), year=values["year"], level=values["level"],
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
            village=_village_for(request.user, values["village"]), year=values["year"], stars=values["stars"],
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
    ("checklist-items", ChecklistItemViewSet, "checklist-item"),
    ("inspections", InspectionViewSet, "inspection"),
    ("target-levels", TargetLevelViewSet, "target-level"),
    ("applications", ApplicationViewSet, "application"),
    ("star-withdrawals", StarWithdrawalViewSet, "star-withdrawal"),
    ("notices", NoticeViewSet, "notice"),
]


# --- the four lists and the township plan (一乡一方案) ---------------------------------------

class TownshipPlanSerializer(serializers.ModelSerializer):
    township_code = serializers.CharField(source="township.code", read_only=True)

    class Meta:
        model = TownshipPlan
        fields = ["id", "township_code", "year", "as_of", "note", "content", "created_at"]


class TownshipPlanCreateSerializer(serializers.Serializer):
    township = serializers.CharField(help_text="乡镇 12 位区划代码")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    as_of = serializers.DateField(required=False, allow_null=True, default=None, help_text="版本日期，省略为今天")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class TownshipPlanViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Saved versions of the township plans; POST freezes a township's plan as it stands.
    `?township=…&as_of=YYYY-MM-DD` gives the version in force that day."""

    serializer_class = TownshipPlanSerializer
    scope_field = "township__code"
    filterset_fields = ["year"]

    def get_queryset(self):
        rows = TownshipPlan.objects.select_related("township").filter(scope_q(self.request.user, "township__code"))
        params = self.request.query_params
        if params.get("township"):
            rows = rows.filter(township__code=params["township"])
        if params.get("as_of"):
            import datetime as dt

            try:
                day = dt.date.fromisoformat(params["as_of"])
            except ValueError:
                raise serializers.ValidationError({"as_of": "日期格式应为 YYYY-MM-DD。"}) from None
            latest = rows.filter(as_of__lte=day).order_by("-as_of", "-id").values("pk")[:1]
            rows = rows.filter(pk__in=latest)
        return rows.order_by("township__code", "-as_of", "-id")

    @extend_schema(request=TownshipPlanCreateSerializer, responses={201: TownshipPlanSerializer})
    def create(self, request, *args, **kwargs):
        from .services.plan import township_plan_save

        data = TownshipPlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        township = region_in_scope_or_400(request.user, d["township"], levels=[Level.TOWNSHIP], field="township",
                                          message=MSG_UNKNOWN_TOWNSHIP)
        plan = township_plan_save(by=request.user, township=township, year=d["year"], as_of=d["as_of"], note=d["note"])
        return Response(TownshipPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class FourListsSerializer(serializers.Serializer):
    village_code = serializers.CharField()
    year = serializers.IntegerField()
    target_level = serializers.IntegerField(allow_null=True)
    aimed_stars = serializers.ListField(child=serializers.CharField())
    tasks = ChecklistItemSerializer(many=True)
    problems = ChecklistItemSerializer(many=True)
    people = serializers.ListField(child=serializers.DictField())


class FourListsViewSet(viewsets.ViewSet):
    """四个清单 of a village (`/api/four-lists/{village code}/?year=`): the target and stars aimed
    at, open tasks, who answers (责任清单) and open problems."""

    lookup_field = "code"

    @extend_schema(responses=FourListsSerializer,
                   parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="村（社区）12 位区划代码")])
    def retrieve(self, request, code=None):
        from django.utils import timezone
        from rest_framework.generics import get_object_or_404

        from config.params import year_param

        from .selectors import four_lists

        village = get_object_or_404(Region.objects.filter(scope_q(request.user), level=Level.VILLAGE), code=code)
        d = four_lists(village=village, year=year_param(request.query_params), on=timezone.localdate())
        return Response(FourListsSerializer({
            "village_code": village.code, "year": d["year"], "target_level": d["target"].level if d["target"] else None,
            "aimed_stars": d["aimed"], "tasks": d["tasks"], "problems": d["problems"],
            "people": [{"duty": a.duty, "person_name": a.person_name, "person_title": a.person_title,
                        "region_code": a.region.code} for a in d["people"]],
        }).data)


ROUTES += [
    ("township-plans", TownshipPlanViewSet, "township-plan"),
    ("four-lists", FourListsViewSet, "four-lists"),
]


# --- rewards (奖优罚劣) -------------------------------------------------------------------

class RewardTableSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    villages = serializers.ListField(child=serializers.DictField())
    townships = serializers.ListField(child=serializers.DictField())
    village_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    township_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class RewardDecisionSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="scheme.year", read_only=True)

    class Meta:
        model = RewardDecision
        fields = ["id", "year", "decision_no", "decided_on", "note", "village_total", "township_total", "created_at"]


class RewardDecisionCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    decision_no = serializers.CharField(max_length=60)
    decided_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class RewardViewSet(viewsets.ViewSet):
    """The year's reward table (`GET /api/rewards/table/?year=`) and its decisions (list, POST)."""

    def _county(self, request):
        from .access import MSG_NOT_REWARD_READER, require_reward_reader, reward_county

        require_reward_reader(request.user, MSG_NOT_REWARD_READER)
        return reward_county(request.user)

    @extend_schema(responses=RewardTableSerializer)
    @action(detail=False, methods=["get"])
    def table(self, request):
        from config.params import year_param

        from .access import reward_table_for_user
        from .services.rewards import reward_table

        county = self._county(request)
        year = year_param(request.query_params)
        scheme = RewardScheme.objects.filter(county=county, year=year).first()
        table = reward_table_for_user(reward_table(county=county, year=year, scheme=scheme), request.user)
        return Response(RewardTableSerializer({**table, "year": year}).data)

    @extend_schema(responses=RewardDecisionSerializer(many=True))
    def list(self, request):
        county = self._county(request)
        rows = RewardDecision.objects.filter(scheme__county=county).select_related("scheme")
        return Response(RewardDecisionSerializer(rows, many=True).data)

    @extend_schema(request=RewardDecisionCreateSerializer, responses={201: RewardDecisionSerializer})
    def create(self, request):
        from .services.rewards import reward_decide

        county = self._county(request)
        data = RewardDecisionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = reward_decide(by=request.user, county=county, **data.validated_data)
        return Response(RewardDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


ROUTES += [("rewards", RewardViewSet, "rewards")]

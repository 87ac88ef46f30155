"""API for the township plans (一乡一方案, dated versions) and a village's four lists."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from cadres.api_scope import ScopedQuerysetMixin, region_in_scope_or_400
from cadres.scope import scope_q
from ratings.models import TownshipPlan
from villages.models import Level, Region

from .api import MSG_UNKNOWN_TOWNSHIP, ChecklistItemSerializer


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



ROUTES = [
    ("township-plans", TownshipPlanViewSet, "township-plan"),
    ("four-lists", FourListsViewSet, "four-lists"),
]

"""API for results: village scores and the per-indicator explanation of a star."""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a ValueError
from rest_framework.response import Response

from cadres.api_scope import ScopedQuerysetMixin

from .detail import detail_expanded
from .models import StarScore, VillageScore
from .selectors import star_score_for_user


class VillageScoreSerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="village.code")
    village_name = serializers.CharField(source="village.name")

    class Meta:
        model = VillageScore
        fields = ["village_code", "village_name", "year", "month", "view", "stars_earned", "star_level", "total",
                  "tiebreak_score", "county_rank", "township_rank", "county_movement", "township_movement",
                  "computed_at"]


class VillageScoreFilter(django_filters.FilterSet):
    township = django_filters.CharFilter(field_name="village__parent__code")
    village = django_filters.CharFilter(field_name="village__code")
    kind = django_filters.CharFilter(field_name="village__kind")

    class Meta:
        model = VillageScore
        fields = ["year", "month", "view", "township", "village", "kind", "star_level"]


class VillageScoreViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Stars, star level, total and ranks per village and month (live or published)."""

    queryset = VillageScore.objects.select_related("village")
    serializer_class = VillageScoreSerializer
    filterset_class = VillageScoreFilter
    scope_field = "village__code"
    ordering = ["year", "month", "view", "county_rank"]


class StarScoreSerializer(serializers.ModelSerializer):
    # Every indicator as an object ({"code", "value", "points", "max_points", "met", "veto", "gap"}),
    # whatever form the row was stored in (ratings/detail.py).
    indicators = serializers.SerializerMethodField()
    star_name = serializers.CharField(source="get_star_display", read_only=True)

    class Meta:
        model = StarScore
        fields = ["year", "month", "view", "star", "star_name", "score", "pass_mark", "earned", "reasons",
                  "points_short", "unmet", "indicators", "computed_at"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_indicators(self, score: StarScore) -> dict:
        return detail_expanded(score.indicators)


class ExplainViewSet(viewsets.ViewSet):
    """Every indicator of one village × month × star: value, sources, rule, points, gap."""

    @extend_schema(
        parameters=[OpenApiParameter(n, str, required=True) for n in ("village", "year", "month", "star")]
        + [OpenApiParameter("view", str, enum=["live", "published"])],
        responses={200: StarScoreSerializer},
    )
    def list(self, request):
        params = request.query_params
        try:
            year, month = int(params.get("year", "")), int(params.get("month", ""))
        except ValueError:
            return Response({"detail": "请提供年度和月份"}, status=400)
        view = params.get("view", "live")
        score = star_score_for_user(user=request.user, code=params.get("village", ""), year=year, month=month,
                                    star=params.get("star", ""), view=view)
        return Response(StarScoreSerializer(get_object_or_404(StarScore.objects.select_related("village"), pk=score.pk)).data)


ROUTES = [("scores", VillageScoreViewSet, "score"), ("explain", ExplainViewSet, "explain")]

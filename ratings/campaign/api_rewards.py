"""API for rewards (奖优罚劣): the year's reward table and its decisions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ratings.models import (
    RewardDecision,
    RewardScheme,
)


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



ROUTES = [("rewards", RewardViewSet, "rewards")]

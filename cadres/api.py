import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadres.api_scope import ScopedQuerysetMixin

from .models import DispatchLevel, FirstSecretary, FirstSecretaryStatus, WorkTeamMember
from .services_work import first_secretary_recall


class RecallSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="召回原因")


class WorkTeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkTeamMember
        fields = ["name", "unit", "role"]


class FirstSecretarySerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    team_members = WorkTeamMemberSerializer(many=True, read_only=True)

    class Meta:
        model = FirstSecretary
        fields = [
            "id", "name", "gender", "village_code", "village_name", "dispatch_unit", "dispatch_level",
            "position", "term_start", "term_end", "status", "recall_reason", "team_members",
        ]


class FirstSecretaryFilter(django_filters.FilterSet):
    township = django_filters.CharFilter(field_name="village__parent__code", label="乡镇区划代码")
    village = django_filters.CharFilter(field_name="village__code", label="村区划代码")
    status = django_filters.ChoiceFilter(choices=FirstSecretaryStatus.choices)
    dispatch_level = django_filters.ChoiceFilter(choices=DispatchLevel.choices)

    class Meta:
        model = FirstSecretary
        fields = ["township", "village", "status", "dispatch_level"]


class FirstSecretaryViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """First secretaries (驻村第一书记) of the villages within the caller's scope."""

    queryset = FirstSecretary.objects.select_related("village").prefetch_related("team_members")
    serializer_class = FirstSecretarySerializer
    filterset_class = FirstSecretaryFilter
    scope_field = "village__code"
    search_fields = ["name", "dispatch_unit", "village__name"]
    ordering_fields = ["village__code", "term_start", "name"]
    ordering = ["village__code", "-term_start"]

    @extend_schema(request=RecallSerializer, responses={200: FirstSecretarySerializer})
    @action(detail=True, methods=["post"])
    def recall(self, request, pk=None):
        """The county organisation department recalls (召回) a serving first secretary, with a reason."""
        data = RecallSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fs = first_secretary_recall(first_secretary=self.get_object(), reason=data.validated_data["reason"],
                                    by=request.user)
        return Response(FirstSecretarySerializer(fs).data)


ROUTES = [("first-secretaries", FirstSecretaryViewSet, "first-secretary")]

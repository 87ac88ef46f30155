import django_filters
from rest_framework import serializers, viewsets

from config.api import ScopedQuerysetMixin

from .models import DispatchLevel, FirstSecretary, FirstSecretaryStatus, WorkTeamMember


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


ROUTES = [("first-secretaries", FirstSecretaryViewSet, "first-secretary")]

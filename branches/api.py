import django_filters
from rest_framework import serializers, viewsets

from cadres.api_scope import ScopedQuerysetMixin

from .models import Branch, CommitteeMember, OrgType, Rectification


class CommitteeMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitteeMember
        fields = ["name", "position", "gender", "birth_year", "education"]


class RectificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rectification
        fields = ["id", "year", "reason", "plan", "progress", "status", "listed_on", "accepted_on", "accepted_by"]


class BranchSerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    committee = CommitteeMemberSerializer(many=True, read_only=True)
    rectifications = RectificationSerializer(many=True, read_only=True)

    class Meta:
        model = Branch
        fields = [
            "id", "village_code", "village_name", "name", "org_type", "secretary_name", "secretary_is_head",
            "secretary_since", "committee_size", "member_count", "probationary_count", "established_on",
            "is_weak_lax", "committee", "rectifications",
        ]


class BranchFilter(django_filters.FilterSet):
    township = django_filters.CharFilter(field_name="village__parent__code", label="乡镇区划代码")
    village = django_filters.CharFilter(field_name="village__code", label="村区划代码")
    org_type = django_filters.ChoiceFilter(choices=OrgType.choices)
    is_weak_lax = django_filters.BooleanFilter()

    class Meta:
        model = Branch
        fields = ["township", "village", "org_type", "is_weak_lax", "secretary_is_head"]


class BranchViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Party organisations of the villages within the caller's scope."""

    queryset = Branch.objects.select_related("village").prefetch_related("committee", "rectifications")
    serializer_class = BranchSerializer
    filterset_class = BranchFilter
    scope_field = "village__code"
    search_fields = ["name", "secretary_name", "village__name"]
    ordering_fields = ["village__code", "member_count"]
    ordering = ["village__code"]


ROUTES = [("branches", BranchViewSet, "branch")]

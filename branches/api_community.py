"""API of the communities' needs and resources (需求清单 / 资源清单).

Lists are scoped like the pages (a row outside the caller's regions is a 404); writes go through
branches/services_community.py, so the API refuses what the pages refuse with the same Chinese
message (400 for a refused input or a wrong state, 403 for a wrong role)."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models_community import CommunityNeed, CommunityResource, NeedCategory, NeedMatch, ProviderKind
from .selectors_community import communities_for, needs_for, resources_for
from .services_community import (
    match_cancel,
    need_cancel,
    need_done,
    need_match,
    need_record,
    resource_record,
    resource_withdraw,
)

MSG_UNKNOWN_COMMUNITY = "权限范围内没有该社区代码。"
MSG_UNKNOWN_RESOURCE = "权限范围内没有该资源。"


def _community(user, code: str):
    community = communities_for(user=user).filter(code=code).first()
    if community is None:
        raise serializers.ValidationError({"community": [MSG_UNKNOWN_COMMUNITY]})
    return community


class MatchSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="resource.provider_name", read_only=True)

    class Meta:
        model = NeedMatch
        fields = ["id", "resource", "provider_name", "matched_on", "note", "done_on", "done_note", "cancelled_on"]


class NeedSerializer(serializers.ModelSerializer):
    community_code = serializers.CharField(source="community.code", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    matches = MatchSerializer(many=True, read_only=True)

    class Meta:
        model = CommunityNeed
        fields = ["id", "community_code", "community_name", "title", "category", "detail", "raised_by", "raised_on",
                  "status", "cancelled_on", "matches", "created_at"]


class NeedInSerializer(serializers.Serializer):
    community = serializers.CharField(help_text="社区 12 位区划代码")
    title = serializers.CharField(max_length=100)
    category = serializers.ChoiceField(choices=NeedCategory.choices)
    raised_on = serializers.DateField()
    raised_by = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    detail = serializers.CharField(required=False, allow_blank=True, default="")


class MatchInSerializer(serializers.Serializer):
    resource = serializers.IntegerField(help_text="本社区资源清单中的资源 ID")
    matched_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class DoneInSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class NeedFilter(django_filters.FilterSet):
    community = django_filters.CharFilter(field_name="community__code", label="社区代码")
    township = django_filters.CharFilter(field_name="community__parent__code", label="乡镇（街道）代码")

    class Meta:
        model = CommunityNeed
        fields = ["community", "township", "category", "status"]


class NeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """需求清单: residents' needs of the communities in scope. POST records one (the community's
    secretary, township staff); `match`, `done`, `unmatch` and `cancel` follow it, each dated."""

    serializer_class = NeedSerializer
    filterset_class = NeedFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CommunityNeed.objects.none()
        return needs_for(user=self.request.user).prefetch_related("matches__resource").order_by("-raised_on", "-id")

    def _out(self, need):
        return Response(NeedSerializer(self.get_queryset().get(pk=need.pk)).data)

    @extend_schema(request=NeedInSerializer, responses={201: NeedSerializer})
    def create(self, request, *args, **kwargs):
        data = NeedInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        need = need_record(by=request.user, community=_community(request.user, d.pop("community")), **d)
        return Response(NeedSerializer(self.get_queryset().get(pk=need.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MatchInSerializer, responses={200: NeedSerializer})
    @action(detail=True, methods=["post"])
    def match(self, request, pk=None):
        need = self.get_object()
        data = MatchInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resource = resources_for(user=request.user).filter(pk=data.validated_data["resource"]).first()
        if resource is None:
            raise serializers.ValidationError({"resource": [MSG_UNKNOWN_RESOURCE]})
        need_match(by=request.user, need=need, resource=resource, matched_on=data.validated_data["matched_on"],
                   note=data.validated_data["note"])
        return self._out(need)

    @extend_schema(request=DoneInSerializer, responses={200: NeedSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        need = self.get_object()
        data = DoneInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        need_done(by=request.user, need=need, done_on=data.validated_data["done_on"], note=data.validated_data["note"])
        return self._out(need)

    @extend_schema(request=None, responses={200: NeedSerializer})
    @action(detail=True, methods=["post"])
    def unmatch(self, request, pk=None):
        """Undo a match not yet done (today); the need is open again."""
        need = self.get_object()
        match_cancel(by=request.user, need=need, on=timezone.localdate())
        return self._out(need)

    @extend_schema(request=None, responses={200: NeedSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Withdraw an open need (today)."""
        need = self.get_object()
        need_cancel(by=request.user, need=need, on=timezone.localdate())
        return self._out(need)


class ResourceSerializer(serializers.ModelSerializer):
    community_code = serializers.CharField(source="community.code", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = CommunityResource
        fields = ["id", "community_code", "community_name", "provider_name", "provider_kind", "category",
                  "description", "contact", "offered_on", "withdrawn_on", "created_at"]


class ResourceInSerializer(serializers.Serializer):
    community = serializers.CharField(help_text="社区 12 位区划代码")
    provider_name = serializers.CharField(max_length=80)
    provider_kind = serializers.ChoiceField(choices=ProviderKind.choices)
    category = serializers.ChoiceField(choices=NeedCategory.choices)
    description = serializers.CharField(max_length=200)
    contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    offered_on = serializers.DateField()


class ResourceFilter(django_filters.FilterSet):
    community = django_filters.CharFilter(field_name="community__code", label="社区代码")
    township = django_filters.CharFilter(field_name="community__parent__code", label="乡镇（街道）代码")
    available = django_filters.BooleanFilter(field_name="withdrawn_on", lookup_expr="isnull", label="仍在提供")

    class Meta:
        model = CommunityResource
        fields = ["community", "township", "category", "provider_kind", "available"]


class ResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    """资源清单: what the units, enterprises and social organisations stationed in a community offer.
    POST records one; `withdraw` stops it from today (not while a match with it is under way)."""

    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CommunityResource.objects.none()
        return resources_for(user=self.request.user).order_by("community__code", "category", "provider_name", "id")

    @extend_schema(request=ResourceInSerializer, responses={201: ResourceSerializer})
    def create(self, request, *args, **kwargs):
        data = ResourceInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        resource = resource_record(by=request.user, community=_community(request.user, d.pop("community")), **d)
        return Response(ResourceSerializer(resource).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ResourceSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        resource = resource_withdraw(by=request.user, resource=self.get_object(), on=timezone.localdate())
        return Response(ResourceSerializer(resource).data)


ROUTES = [
    ("community-needs", NeedViewSet, "community-need"),
    ("community-resources", ResourceViewSet, "community-resource"),
]

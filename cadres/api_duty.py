"""API of the responsibility system: assignments (包联, 责任组) and contact visits (走访).

Lists are scoped like the pages (a row outside the caller's regions is a 404); writes go through
cadres/services_duty.py, so the API refuses what the pages refuse with the same Chinese message
(400 for a refused input, 403 for a wrong role or a village the visitor is not assigned to)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a ValueError
from rest_framework.response import Response

from cadres.api_scope import region_in_scope_or_400
from villages.models import Level

from .models import StarCode, User
from .models_duty import Assignment, ContactVisit, Duty, DutyTier
from .selectors_duty import assignments_for, visits_for
from .services_duty import assignment_create, assignment_end, contact_visit_record

MSG_UNKNOWN_REGION = "权限范围内没有该区划代码。"
MSG_UNKNOWN_PERSON = "没有该账号。"


class AssignmentSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "year", "duty", "tier", "person", "person_name", "person_title", "region_code", "region_name",
                  "start_date", "end_date", "note", "created_at"]


class AssignmentWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    duty = serializers.ChoiceField(choices=Duty.choices)
    tier = serializers.ChoiceField(choices=DutyTier.choices)
    region = serializers.CharField(help_text="分包乡镇或村的 12 位区划代码")
    person = serializers.CharField(required=False, allow_blank=True, default="", help_text="责任人登录名（选填）")
    person_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    person_title = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class AssignmentEndSerializer(serializers.Serializer):
    end_date = serializers.DateField()


class AssignmentFilter(django_filters.FilterSet):
    township = django_filters.CharFilter(method="by_township", label="乡镇区划代码")
    region = django_filters.CharFilter(field_name="region__code", label="区划代码")
    active_on = django_filters.DateFilter(method="by_day", label="某日在任")

    class Meta:
        model = Assignment
        fields = ["year", "duty", "tier", "region", "township", "active_on"]

    def by_township(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(region__code=value) | Q(region__parent__code=value))

    def by_day(self, queryset, name, value):
        return queryset.active_on(value)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """责任清单: who is assigned to which township or village (包联, 责任组)."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering = ["region__code", "duty", "start_date"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Assignment.objects.none()
        return assignments_for(user=self.request.user).order_by("region__code", "duty", "start_date", "id")

    @extend_schema(request=AssignmentWriteSerializer, responses={201: AssignmentSerializer})
    def create(self, request, *args, **kwargs):
        data = AssignmentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        region = region_in_scope_or_400(request.user, d["region"], levels=[Level.TOWNSHIP, Level.VILLAGE],
                                        field="region", message=MSG_UNKNOWN_REGION)
        person = None
        if d["person"]:
            person = User.objects.filter(username=d["person"], is_active=True).first()
            if person is None:
                raise serializers.ValidationError({"person": [MSG_UNKNOWN_PERSON]})
        assignment = assignment_create(by=request.user, year=d["year"], duty=d["duty"], tier=d["tier"], region=region,
                                       start_date=d["start_date"], end_date=d["end_date"], person=person,
                                       person_name=d["person_name"], person_title=d["person_title"], note=d["note"])
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentEndSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = get_object_or_404(self.get_queryset(), pk=pk)
        data = AssignmentEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = assignment_end(assignment=assignment, by=request.user, end_date=data.validated_data["end_date"])
        return Response(AssignmentSerializer(assignment).data)


class ContactVisitSerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    visitor_name = serializers.CharField(source="assignment.person_name", read_only=True)
    problems = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="提出问题生成的问题台账事项 ID")

    class Meta:
        model = ContactVisit
        fields = ["id", "assignment", "visitor_name", "village_code", "village_name", "date", "findings", "problems",
                  "created_at"]


class ProblemRaisedSerializer(serializers.Serializer):
    star = serializers.ChoiceField(choices=StarCode.choices)
    title = serializers.CharField(max_length=200)


class ContactVisitWriteSerializer(serializers.Serializer):
    village = serializers.CharField(help_text="走访村（社区）的 12 位区划代码")
    date = serializers.DateField()
    findings = serializers.CharField(max_length=2000)
    problems = ProblemRaisedSerializer(many=True, required=False, default=list,
                                       help_text="提出的问题：保存后直接上报乡镇，进入问题台账")


class ContactVisitFilter(django_filters.FilterSet):
    village = django_filters.CharFilter(field_name="village__code")
    township = django_filters.CharFilter(field_name="village__parent__code")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = ContactVisit
        fields = ["village", "township", "date_from", "date_to", "visitor"]


class ContactVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """包联走访: visits recorded by the assigned person; problems raised join the problem ledger."""

    serializer_class = ContactVisitSerializer
    filterset_class = ContactVisitFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ContactVisit.objects.none()
        return visits_for(user=self.request.user).prefetch_related("problems").order_by("-date", "-id")

    @extend_schema(request=ContactVisitWriteSerializer, responses={201: ContactVisitSerializer})
    def create(self, request, *args, **kwargs):
        data = ContactVisitWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        village = region_in_scope_or_400(request.user, d["village"], levels=[Level.VILLAGE], field="village",
                                         message=MSG_UNKNOWN_REGION)
        visit = contact_visit_record(by=request.user, village=village, date=d["date"], findings=d["findings"],
                                     problems=[(p["star"], p["title"]) for p in d["problems"]])
        return Response(ContactVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


ROUTES = [
    ("assignments", AssignmentViewSet, "assignment"),
    ("contact-visits", ContactVisitViewSet, "contact-visit"),
]

"""API of the star task forces (一星一专班) and joint consultations (联席会商). Reads are scoped
like the pages (the county's and the township's task forces are seen below them); writes go
through cadres/services_taskforce.py (400 refused input, 403 wrong role)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from cadres.api_scope import region_in_scope_or_400
from villages.models import Level, Region

from .models import StarCode, variant_star_choices
from .models_taskforce import Consultation, ConsultationProgress, TaskForce, TaskForceMember
from .scope import scope_q
from .selectors_taskforce import consultations_for, task_forces_for, with_ancestors
from .services_taskforce import Measure, consultation_record, task_force_save

MSG_UNKNOWN_REGION = "权限范围内没有该区划代码。"


def _region(user, code: str, levels) -> Region:
    return region_in_scope_or_400(user, code, levels=levels, field="region", message=MSG_UNKNOWN_REGION,
                                  scope=with_ancestors(user, "code"))


class TaskForceMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskForceMember
        fields = ["name", "unit", "role"]


class TaskForceSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    members = TaskForceMemberSerializer(many=True, read_only=True)
    star_name = serializers.CharField(source="get_star_display", read_only=True)
    member_units = serializers.CharField(read_only=True, help_text="成员单位，每行一个（本县部门和单位名单中的名称）")

    class Meta:
        model = TaskForce
        fields = ["id", "region_code", "region_name", "year", "star", "star_kind", "star_name", "lead_department",
                  "member_units", "members", "updated_at"]


class TaskForceWriteSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="县或乡镇的 12 位区划代码")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    star = serializers.ChoiceField(choices=variant_star_choices(),
                                   help_text="村的星用星代码（如 industry），社区的星加前缀（如 urban:industry）")
    lead_department = serializers.CharField(max_length=60)
    member_units = serializers.CharField(required=False, allow_blank=True, default="",
                                         help_text="成员单位，每行一个，须是本县部门和单位名单中的名称")
    members = TaskForceMemberSerializer(many=True, required=False, default=list)


class TaskForceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """一星一专班: POST creates or replaces the region's task force of a star for the year."""

    serializer_class = TaskForceSerializer
    filterset_fields = ["year", "star", "star_kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return TaskForce.objects.none()
        return task_forces_for(user=self.request.user).prefetch_related("members", "member_departments").order_by("region__code", "star")

    @extend_schema(request=TaskForceWriteSerializer, responses={201: TaskForceSerializer})
    def create(self, request, *args, **kwargs):
        data = TaskForceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        region = _region(request.user, d["region"], [Level.COUNTY, Level.TOWNSHIP])
        force = task_force_save(by=request.user, region=region, year=d["year"], star=d["star"],
                                lead_department=d["lead_department"], member_units=d["member_units"],
                                members=[(m["name"], m.get("unit", ""), m.get("role", "") or "成员")
                                         for m in d["members"]])
        return Response(TaskForceSerializer(force).data, status=status.HTTP_201_CREATED)


class ProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultationProgress
        fields = ["star", "text"]


class ConsultationSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    progress = ProgressSerializer(many=True, read_only=True)
    measures = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="议定措施（任务清单事项 ID）")

    class Meta:
        model = Consultation
        fields = ["id", "region_code", "date", "title", "attendees", "problems", "progress", "measures", "created_at"]


class MeasureWriteSerializer(serializers.Serializer):
    star = serializers.ChoiceField(choices=StarCode.choices)
    village = serializers.CharField(help_text="落实村（社区）的 12 位区划代码")
    title = serializers.CharField(max_length=200)
    owner_text = serializers.CharField(max_length=60)
    due_date = serializers.DateField()


class ConsultationWriteSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="组织单位（县或乡镇）的 12 位区划代码")
    date = serializers.DateField()
    title = serializers.CharField(max_length=100)
    attendees = serializers.CharField()
    problems = serializers.CharField(required=False, allow_blank=True, default="")
    progress = ProgressSerializer(many=True, required=False, default=list)
    measures = MeasureWriteSerializer(many=True, required=False, default=list)


class ConsultationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """联席会商: each measure decided becomes a task item (origin "measure") of its village."""

    serializer_class = ConsultationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Consultation.objects.none()
        return consultations_for(user=self.request.user).prefetch_related("progress", "measures").order_by("-date")

    @extend_schema(request=ConsultationWriteSerializer, responses={201: ConsultationSerializer})
    def create(self, request, *args, **kwargs):
        data = ConsultationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        region = _region(request.user, d["region"], [Level.COUNTY, Level.TOWNSHIP])
        villages = {v.code: v for v in Region.objects.filter(
            scope_q(request.user), level=Level.VILLAGE, code__in=[m["village"] for m in d["measures"]])}
        measures = [Measure(star=m["star"], village=villages.get(m["village"]), title=m["title"],
                            owner_text=m["owner_text"], due_date=m["due_date"]) for m in d["measures"]]
        meeting = consultation_record(by=request.user, region=region, date=d["date"], title=d["title"],
                                      attendees=d["attendees"], progress={p["star"]: p["text"] for p in d["progress"]},
                                      problems=d["problems"], measures=measures)
        return Response(ConsultationSerializer(meeting).data, status=status.HTTP_201_CREATED)


ROUTES = [
    ("task-forces", TaskForceViewSet, "task-force"),
    ("consultations", ConsultationViewSet, "consultation"),
]

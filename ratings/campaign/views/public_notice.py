"""The award's public notice (公示) as a page anyone opens without an account, from the QR code the
portal prints for the village notice board: the county's villages in their notice period with the
stars proposed (the stars their reviews approved), and an objection form (text, optional name and
phone) whose objections enter the award workflow as the ones recorded by hand do. Nothing a
villager sent is shown back; submissions are limited per address (config/throttles.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.throttles import MSG_PUBLIC_FLOOD, public_form_count, public_form_flooded
from ratings.campaign.services.awards import objection_submit_public
from ratings.models import Application, ApplicationStatus
from ratings.selectors import star_names
from villages.models import Level, Region

PUBLIC_OBJECTION_FORM = "notice_objection"
MSG_REQUIRED = "此项为必填项。"
MSG_CHOICE = "请选择公示中的村（社区）。"


class ObjectionForm(forms.Form):
    application = forms.TypedChoiceField(label="对哪个村（社区）有异议", coerce=int,
                                         error_messages={"required": MSG_CHOICE, "invalid_choice": MSG_CHOICE})
    content = forms.CharField(label="异议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "请填写异议内容。", "max_length": "异议内容不能超过 2000 字。"})
    name = forms.CharField(label="您的姓名（选填）", max_length=40, required=False)
    phone = forms.CharField(label="联系电话（选填，便于核实反馈）", max_length=20, required=False)

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", "请选择")] + [
            (a.pk, f"{a.village.parent.name} {a.village.name}") for a in applications]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        self.fields["application"].widget.attrs["class"] = "form-select"


def notice_applications(county: Region, year: int, day):
    """Applications of the county's villages in their public notice period on `day`."""
    return (Application.objects.filter(village__code__startswith=county.prefix, year=year,
                                       status=ApplicationStatus.PUBLIC_NOTICE, notice_start__lte=day,
                                       notice_end__gte=day)
            .select_related("village__parent").prefetch_related("reviews").order_by("village__code"))


@require_http_methods(["GET", "POST"])
def public_notice(request, code: str, year: int):
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None:
        raise Http404
    today = timezone.localdate()
    applications = list(notice_applications(county, year, today))
    rows = []
    for a in applications:
        names = star_names(a.village.kind)
        approved = [r.star for r in a.reviews.all() if r.approved]
        rows.append({"application": a, "stars": "、".join(names.get(s, s) for s in sorted(approved)) or "—",
                     "level": len(approved)})
    chosen = request.GET.get("village", "")
    initial = {"application": next((a.pk for a in applications if a.village.code == chosen), "")}
    form = ObjectionForm(request.POST or None, applications=applications, initial=initial)
    status, sent = 200, False
    if request.method == "POST":
        if public_form_flooded(request, PUBLIC_OBJECTION_FORM):
            form.add_error(None, MSG_PUBLIC_FLOOD)
            status = 429
        elif form.is_valid():
            application = next(a for a in applications if a.pk == form.cleaned_data["application"])
            try:
                objection_submit_public(application=application, content=form.cleaned_data["content"],
                                        name=form.cleaned_data["name"], phone=form.cleaned_data["phone"])
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                public_form_count(request, PUBLIC_OBJECTION_FORM)
                sent = True
                form = ObjectionForm(applications=applications)
    return render(request, "campaign/public_notice.html", {
        "county": county, "year": year, "rows": rows, "form": form, "sent": sent, "today": today}, status=status)

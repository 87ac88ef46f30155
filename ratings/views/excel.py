"""Download the ledger template and upload it back."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from cadres.regions import county_of_user
from config.jobs import import_tracked

from ..access import can_enter
from ..services.excel import template_build, upload_apply
from .ledger import _grid_context

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@require_GET
@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    context = _grid_context(request)
    if not can_enter(request.user, context["township"]):
        raise PermissionDenied("只有本乡镇专干或县委组织部可以下载填报模板")
    if context["standard"] is None:
        raise Http404("该年度尚无已发布的评星标准")
    content = template_build(township=context["township"], year=context["year"], month=context["month"],
                             star_code=context["star_code"], kind=context["kind"], standard=context["standard"])
    star = next((s for s in context["stars"] if s.code == context["star_code"]), None)
    filename = (f"台账模板_{context['township'].name}_{context['year']}年{context['month']}月_"
                f"{star.name if star else ''}.xlsx")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    result, error = None, ""
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            error = "请选择要上传的 Excel 文件"
        elif file.size > MAX_UPLOAD_BYTES:
            error = "文件不能超过 5 MB"
        else:
            try:
                result = import_tracked(title="台账导入", county=county_of_user(request.user),
                                        apply=lambda: upload_apply(file=file, by=request.user))
            except ValidationError as exc:
                error = "；".join(exc.messages)
    return render(request, "ratings/ledger_upload.html", {"result": result, "error": error},
                  status=400 if error or (result and not result.ok) else 200)

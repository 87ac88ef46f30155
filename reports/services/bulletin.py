"""Generate the monthly bulletin of a county or township as Excel and PDF from stored results."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook

from config.excel import safe_row
from config.pdf import html_to_pdf
from ratings.selectors import star_names
from reports import selectors
from reports.charts import bar_chart_svg
from reports.models import Bulletin
from villages.models import Level, Region
from villages.start_month import before_start

MSG_BAD_REGION = "通报只能按县或乡镇生成"
KINDS = [("rural", "行政村"), ("urban", "城市社区")]


@dataclass(frozen=True)
class BulletinRow:
    county_rank: int | None
    township_rank: int | None
    name: str
    star_level: int
    total: object
    stars_earned: list
    township: str
    kind: str

    @property
    def kind_label(self) -> str:
        return dict(KINDS).get(self.kind or "rural", "行政村")
MSG_BAD_MONTH = "月份不正确"
MSG_NOT_CLOSED = "{year}年{month}月尚未关账发布，不能生成通报（通报只用已发布数据）"
MSG_BEFORE_START = "本县{start}使用本平台，{year}年{month}月没有通报"


def _county_of(region: Region) -> Region:
    return region if region.level == Level.COUNTY else region.parent


def last_closed_month(region: Region) -> tuple[int, int] | None:
    """The latest month the region's county has closed and published, or None."""
    from ratings.models import MonthClose

    row = MonthClose.objects.filter(county=_county_of(region)).order_by("-year", "-month").values_list(
        "year", "month").first()
    return tuple(row) if row else None


def month_is_closed(region: Region, year: int, month: int) -> bool:
    from ratings.models import MonthClose

    return MonthClose.objects.filter(county=_county_of(region), year=year, month=month).exists()


def bulletin_data(region: Region, year: int, month: int) -> dict:
    """The figures both files show; the same selectors as the dashboards."""
    period = selectors.Period(year, month, selectors.VIEW_PUBLISHED)
    if region.level == Level.COUNTY:
        data = selectors.county_dashboard(region, period)
    else:
        data = selectors.county_dashboard(region.parent, period)
        data["townships"] = [t for t in data["townships"] if t.township.pk == region.pk]
        town = selectors.township_dashboard(region, period)
        data["levels"] = _levels([r["score"] for r in town["rural"] + town["urban"]])
    rows = selectors.VillageScore.objects.filter(
        village__code__startswith=region.prefix, year=year, month=month, view=period.view,
    ).order_by("county_rank", "village__code").values_list(
        "county_rank", "township_rank", "village__name", "star_level", "total", "stars_earned",
        "village__parent__name", "village__kind")
    # Villages and communities are ranked apart (their standards differ): one table each.
    data["rankings"] = [
        {"kind": kind, "label": label, "star_names": star_names(kind),
         "rows": [BulletinRow(*r) for r in rows if (r[7] or "rural") == kind]}
        for kind, label in KINDS]
    data["rankings"] = [r for r in data["rankings"] if r["rows"]]
    data["places"] = places_word(Region.objects.filter(
        code__startswith=region.prefix, level=Level.VILLAGE, is_active=True).values_list("kind", flat=True).distinct())
    # The base of the averages, as the dashboards say it: 已评分村、社区 (only those with a score).
    data["scored_base"] = "已评分" + data["places"].replace("村（社区）", "村、社区")
    data["title"] = f"{region.name}{year}年{month}月五星支部创建通报"
    return data


def places_word(kinds) -> str:
    """What a count of the region's villages counts: 村, 社区, or 村（社区） when it holds both."""
    kinds = {"urban" if k == "urban" else "rural" for k in kinds}
    if kinds == {"urban"}:
        return "社区"
    return "村（社区）" if "urban" in kinds else "村"


def _levels(scores) -> list[dict]:
    counts = [0] * 6
    for s in scores:
        counts[s.star_level] += 1
    return [{"level": i, "count": counts[i]} for i in range(6)]


def _xlsx(data: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([data["title"]])
    places = data["places"]
    ws.append(["星级", f"{places}数"])
    for lv in data["levels"]:
        ws.append([f"{lv['level']}星", lv["count"]])
    ws.append([])
    ws.append(["乡镇", f"{places}数", f"平均总分（{data['scored_base']}）", "三星及以上占比(%)（占已评分）"])
    for t in data["townships"]:
        ws.append(safe_row([t.township.name, t.villages, float(t.average) if t.average is not None else None,
                   t.three_plus_share]))
    for ranking in data["rankings"]:
        rk = wb.create_sheet(f"{ranking['label']}排名")
        names = ranking["star_names"]
        rk.append(["全县排名", "乡镇内排名", "乡镇", "村（社区）", "类别", "星级", "总分"]
                  + [names[c] for c in selectors.STAR_CODES])
        for r in ranking["rows"]:
            rk.append(safe_row([r.county_rank, r.township_rank, r.township, r.name, r.kind_label, r.star_level,
                                float(r.total)] + ["✓" if c in r.stars_earned else "" for c in selectors.STAR_CODES]))
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pdf(data: dict) -> bytes:
    chart = bar_chart_svg([f"{lv['level']}星" for lv in data["levels"]], [lv["count"] for lv in data["levels"]])
    html = render_to_string("reports/bulletin_pdf.html", {"data": data, "chart": chart})
    return html_to_pdf(html)


@transaction.atomic
def bulletin_generate(*, region: Region, year: int, month: int, by=None) -> Bulletin:
    if region.level not in (Level.COUNTY, Level.TOWNSHIP):
        raise ValidationError(MSG_BAD_REGION)
    if not 1 <= month <= 12:
        raise ValidationError(MSG_BAD_MONTH)
    county = _county_of(region)
    if before_start(county, year, month):
        raise ValidationError(MSG_BEFORE_START.format(start=county.start_words, year=year, month=month))
    if not month_is_closed(region, year, month):
        raise ValidationError(MSG_NOT_CLOSED.format(year=year, month=month))
    bulletin, _ = Bulletin.objects.select_for_update().get_or_create(
        region=region, year=year, month=month, view=selectors.VIEW_PUBLISHED, kind=Bulletin.Kind.MONTHLY)
    data = bulletin_data(region, year, month)
    stem = f"{region.code}-{year}{month:02d}"
    # Regenerating replaces the files of the same row; the old files are deleted first.
    for f in (bulletin.xlsx, bulletin.pdf):
        if f:
            f.delete(save=False)
    bulletin.xlsx.save(f"{stem}.xlsx", ContentFile(_xlsx(data)), save=False)
    bulletin.pdf.save(f"{stem}.pdf", ContentFile(_pdf(data)), save=False)
    bulletin.status = Bulletin.Status.DONE
    bulletin.superseded_at, bulletin.superseded_reason = None, ""  # generated anew from the closed month
    bulletin.generated_at = timezone.now()
    bulletin.generated_by = by
    bulletin.save()
    return bulletin

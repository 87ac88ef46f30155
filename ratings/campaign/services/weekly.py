"""Weekly progress of key villages (重点村周进展) and the monthly commentary (点评).

Key villages are those whose latest published star level is four or more, and the candidates
(备选村: this year's confirmed target of four stars or more). They report once per ISO week, the
week read in Asia/Shanghai (`timezone.localdate`, the project's TIME_ZONE): a short text per star
worked on, with photos checked by content. Reporting again in the same week adds to the week's
report (a star's text is replaced, its photos are kept and new ones added). The organisation
department writes one commentary per township and month; writing it again replaces the text.

The clock is read only through `today()`, so tests move it by patching `timezone` in this module
(or by passing `today=`), never by sleeping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from cadres.models import Role, StarCode
from cadres.scope import can_see_region, has_role
from config.uploads import IMAGE_KINDS, upload_verify
from villages.models import Level, Region

MSG_NOT_ALLOWED = "您无权执行此操作。"
MSG_NOT_KEY_VILLAGE = "{village}不是本年度的重点村（四星及以上或四星、五星备选村），无需报送周进展。"
MSG_NOTHING = "请至少填写一颗星本周的进展。"
MSG_STAR = "请选择有效的星。"
MSG_TEXT_LONG = "{star}的进展请控制在 {n} 字以内。"
MSG_PHOTO_WITHOUT_TEXT = "{star}上传了照片，请同时填写进展情况。"
MSG_TOO_MANY_PHOTOS = "{star}本周最多上传 {n} 张照片。"
MSG_PHOTO = "{star}的照片：{error}"
MSG_COMMENTARY_EMPTY = "请填写点评内容。"
MSG_COMMENTARY_LONG = "点评内容请控制在 {n} 字以内。"
MSG_COMMENTARY_FUTURE = "不能为尚未开始的月份写点评。"
MSG_COMMENTARY_MONTH = "月份应为 1 至 12。"
MSG_NOT_TOWNSHIP = "点评只能针对乡镇。"

TEXT_MAX = 500
PHOTOS_PER_STAR = 6
COMMENTARY_MAX = 2000
REPORTERS = (Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY)
COMMENTATORS = (Role.ORGANISATION,)
# The years a `?week=` may name (as the commentary's year in the API).
YEAR_MIN, YEAR_MAX = 2000, 2100
# Who follows the key villages' weeks: the county's offices and leaders, the township.
WEEK_READERS = (Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.TOWNSHIP_STAFF, Role.COUNTY_LEADER,
                Role.TOWNSHIP_LEADER)


def today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week: Monday to Sunday."""

    iso_year: int
    week: int

    @classmethod
    def of(cls, day: dt.date) -> Week:
        iso = day.isocalendar()
        return cls(iso[0], iso[1])

    @classmethod
    def parse(cls, value: str | None, default: Week) -> Week:
        """"2026-W48" (as `<input type=week>` sends it); anything else gives `default`, and so does
        a year outside 2000..2100 (a week at the calendar's edge has no neighbour to link to)."""
        try:
            year, week = str(value).split("-W")
            if not YEAR_MIN <= int(year) <= YEAR_MAX:
                return default
            return cls.of(dt.date.fromisocalendar(int(year), int(week), 1))
        except (TypeError, ValueError):
            return default

    @property
    def start(self) -> dt.date:
        return dt.date.fromisocalendar(self.iso_year, self.week, 1)

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def month(self) -> tuple[int, int]:
        """The month the week counts in: the one holding its Thursday (the ISO rule)."""
        thursday = self.start + dt.timedelta(days=3)
        return thursday.year, thursday.month

    def shift(self, weeks: int) -> Week:
        return Week.of(self.start + dt.timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.iso_year}-W{self.week:02d}"

    @property
    def label(self) -> str:
        return f"{self.iso_year}年第{self.week}周（{self.start:%-m月%-d日}—{self.end:%-m月%-d日}）"


def current_week() -> Week:
    return Week.of(today())


def key_villages(villages, *, on: dt.date):
    """The key villages among `villages` (a Region queryset) on a day: latest published star level
    of four or more (as of that month), or a confirmed target of four stars or more that year as
    it stood that day (a past day reads the targets' history, so a target set or lowered since
    does not change an earlier week). One query today, three for a past day."""
    from ratings.models import TargetLevel, View, VillageScore

    latest_level = (VillageScore.objects.filter(village=OuterRef("pk"), view=View.PUBLISHED)
                    .filter(Q(year__lt=on.year) | Q(year=on.year, month__lte=on.month))
                    .order_by("-year", "-month").values("star_level")[:1])
    if on >= timezone.localdate():
        candidates = TargetLevel.objects.filter(year=on.year, level__gte=4, proposed=False).values("village_id")
    else:
        from ratings.campaign.selectors import targets_on

        ids = list(villages.filter(level=Level.VILLAGE).values_list("pk", flat=True))
        candidates = [t.village_id for t in targets_on(village_ids=ids, year=on.year, on=on)
                      if t.level >= 4 and not t.proposed]
    return (villages.filter(level=Level.VILLAGE, is_active=True)
            .annotate(published_level=Subquery(latest_level))
            .filter(Q(published_level__gte=4) | Q(pk__in=candidates)))


def is_key_village(village: Region, *, on: dt.date) -> bool:
    return key_villages(Region.objects.filter(pk=village.pk), on=on).exists()


def can_report(user, village: Region) -> bool:
    return village.level == Level.VILLAGE and can_see_region(user, village) and has_role(user, *REPORTERS)


def can_comment(user, township: Region | None = None) -> bool:
    return has_role(user, *COMMENTATORS) and (township is None or can_see_region(user, township))


@dataclass
class StarProgress:
    star: str
    text: str
    photos: list = field(default_factory=list)  # uploaded files, not yet verified


def _too_many_photos(entries: list[StarProgress], names: dict[str, str], kept: dict[str, int]) -> list[str]:
    """The photos of the whole submission counted per star, with those the week's report already
    keeps (`kept`), before any is decoded: a photo costs a worker up to a second and 200 MB."""
    sent: dict[str, int] = {}
    for entry in entries:
        if names.get(entry.star) and (entry.text or "").strip():
            sent[entry.star] = sent.get(entry.star, 0) + len([p for p in entry.photos or [] if p])
    return [MSG_TOO_MANY_PHOTOS.format(star=names[star], n=PHOTOS_PER_STAR) for star, count in sent.items()
            if count + kept.get(star, 0) > PHOTOS_PER_STAR]


def _checked(entries: list[StarProgress], names: dict[str, str],
             kept: dict[str, int] | None = None) -> list[tuple[str, str, list]]:
    """Every entry checked and every photo verified before anything is written (`names`: the
    village's own star names, so a community reads 宜业兴业星 where a village reads 产业兴旺星);
    no photo is decoded when the submission holds too many."""
    too_many = _too_many_photos(entries, names, kept or {})
    checked, errors = [], list(too_many)
    for entry in entries:
        star_label = names.get(entry.star, "") if entry.star in StarCode.values else ""
        if not star_label:
            errors.append(MSG_STAR)
            continue
        text = (entry.text or "").strip()
        photos = [p for p in entry.photos or [] if p]
        if not text:
            if photos:
                errors.append(MSG_PHOTO_WITHOUT_TEXT.format(star=star_label))
            continue
        if len(text) > TEXT_MAX:
            errors.append(MSG_TEXT_LONG.format(star=star_label, n=TEXT_MAX))
        verified = []
        for photo in photos if not too_many else []:
            try:
                verified.append(upload_verify(photo, kinds=IMAGE_KINDS))
            except ValidationError as exc:
                errors.append(MSG_PHOTO.format(star=star_label, error=exc.messages[0]))
        checked.append((entry.star, text, verified))
    if errors:
        raise ValidationError(errors)
    if not checked:
        raise ValidationError(MSG_NOTHING)
    return checked


@transaction.atomic
def weekly_report_submit(*, by, village: Region, entries: list[StarProgress], on: dt.date | None = None):
    """1. Check the reporter (the village's secretary or first secretary) and that the village is a
    key village; 2. check every entry and verify every photo; 3. write the week's report: created,
    or completed when the village already reported this week (the row is locked, so two phones
    saving at once add to one report)."""
    from ratings.models import WeeklyPhoto, WeeklyReport, WeeklyReportStar

    on = on or today()
    if not can_report(by, village):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not is_key_village(village, on=on):
        raise ValidationError(MSG_NOT_KEY_VILLAGE.format(village=village.name))
    from ratings.selectors import star_names

    names = star_names(village.kind)
    week = Week.of(on)
    kept = dict(WeeklyReportStar.objects.filter(report__village=village, report__iso_year=week.iso_year,
                                                report__week=week.week)
                .annotate(kept=Count("photos")).values_list("star", "kept"))
    checked = _checked(entries, names, kept)
    now = timezone.now()
    report = WeeklyReport.objects.select_for_update().filter(village=village, iso_year=week.iso_year,
                                                             week=week.week).first()
    if report is None:
        try:
            with transaction.atomic():
                report = WeeklyReport.objects.create(village=village, iso_year=week.iso_year, week=week.week,
                                                     week_start=week.start, submitted_by=by, submitted_at=now,
                                                     updated_at=now)
        except IntegrityError:  # another phone created it a moment ago: add to that one
            report = WeeklyReport.objects.select_for_update().get(village=village, iso_year=week.iso_year,
                                                                  week=week.week)
    existing = {e.star: e for e in WeeklyReportStar.objects.filter(report=report).annotate(kept=Count("photos"))}
    # The week's limit counts the photos already kept (the report row is locked, so the count
    # holds): refused before any file is stored, as a refusal rolls back rows but not files.
    too_many = [MSG_TOO_MANY_PHOTOS.format(star=names[star], n=PHOTOS_PER_STAR) for star, _, photos in checked
                if len(photos) + getattr(existing.get(star), "kept", 0) > PHOTOS_PER_STAR]
    if too_many:
        raise ValidationError(too_many)
    report.updated_at = now
    report.save(update_fields=["updated_at"])
    stored = []
    try:
        for star, text, photos in checked:
            entry = existing.get(star)
            if entry is None:
                entry = WeeklyReportStar.objects.create(report=report, star=star, text=text)
            elif entry.text != text:
                entry.text = text
                entry.save(update_fields=["text"])
            for photo in photos:
                stored.append(WeeklyPhoto.objects.create(entry=entry, image=photo.content,
                                                         original_name=photo.original_name, uploaded_at=now))
    except Exception:
        for row in stored:  # the rows roll back with the transaction; the files must go too
            row.image.delete(save=False)
        raise
    return report


@transaction.atomic
def commentary_save(*, by, township: Region, year: int, month: int, text: str):
    """The organisation department's commentary on a township for a month (written again: replaced)."""
    from ratings.models import Commentary

    if township.level != Level.TOWNSHIP:
        raise ValidationError(MSG_NOT_TOWNSHIP)
    if not can_comment(by, township):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": MSG_COMMENTARY_MONTH})
    now_day = today()
    if (year, month) > (now_day.year, now_day.month):
        raise ValidationError({"month": MSG_COMMENTARY_FUTURE})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": MSG_COMMENTARY_EMPTY})
    if len(text) > COMMENTARY_MAX:
        raise ValidationError({"text": MSG_COMMENTARY_LONG.format(n=COMMENTARY_MAX)})
    now = timezone.now()
    commentary = Commentary.objects.select_for_update().filter(township=township, year=year, month=month).first()
    if commentary is None:
        return Commentary.objects.create(township=township, year=year, month=month, text=text, written_by=by,
                                         written_at=now, updated_at=now)
    commentary.text, commentary.written_by, commentary.updated_at = text, by, now
    commentary.save(update_fields=["text", "written_by", "updated_at"])
    return commentary

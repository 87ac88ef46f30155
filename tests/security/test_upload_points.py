"""The five upload points refuse disguised, polyglot, oversize and
misnamed files with a Chinese message and store nothing; a good file is stored under a
generated name; every file is served only by its record's scoped view, with nosniff, a
sandboxing CSP and the right disposition; nothing under /media/ answers by its path."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse

from branches.models import Meeting, MeetingType, Posting
from cadres.models import SignIn
from config.uploads import MSG_UPLOAD_SIZE
from ratings.models import ChecklistItem, ChecklistProgress, Evidence
from ratings.services.ledger import ledger_entry_save
from tests.factories import FirstSecretaryFactory
from tests.uploads import bad_uploads, good_jpeg, good_pdf, good_png, jpeg_bytes, upload

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"/[0-9a-f]{32}\.(jpg|png|pdf)$")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Point:
    """One upload point: who uploads, how, what is stored and where it is served."""

    user: object
    post: Callable  # (client, file) -> response (followed)
    stored: Callable  # () -> list of FieldFile
    download_url: Callable  # () -> url of the latest stored file
    images_only: bool = False


@pytest.fixture
def ledger_point(village, jobs_indicator, township_clerk, this_month):
    entry = ledger_entry_save(village=village, indicator=jobs_indicator, year=this_month[0], month=this_month[1],
                              value="30", by=township_clerk)
    url = reverse("ratings:entry_detail", args=[entry.pk])
    return Point(
        township_clerk,
        lambda c, f: c.post(url, {"action": "evidence", "file": f}, follow=True),
        lambda: [e.file for e in Evidence.objects.all()],
        lambda: reverse("ratings:evidence_download", args=[entry.pk, Evidence.objects.latest("pk").pk]),
    )


@pytest.fixture
def jobs_indicator(indicator_of):
    return indicator_of("industry.jobs")


def _meeting_data(village):
    from django.utils import timezone

    return {"village": village.code, "type": MeetingType.COMMITTEE_MEETING, "date": timezone.localdate().isoformat(),
            "topic": "研究五星支部创建推进措施", "members_expected": "5", "attendance": "4", "minutes": "会议决定"}


@pytest.fixture
def meeting_point(village, village_secretary):
    return Point(
        village_secretary,
        lambda c, f: c.post(reverse("branches:meeting_create"), {**_meeting_data(village), "attachment": f},
                            follow=True),
        lambda: [m.attachment for m in Meeting.objects.exclude(attachment="")],
        lambda: reverse("branches:record_file", args=["meeting", Meeting.objects.latest("pk").pk]),
    )


@pytest.fixture
def posting_point(village, village_secretary):
    data = {"village": village.code, "category": "financial", "year": "2026", "month": "3",
            "posted_on": "2026-03-31", "content": "一季度收支明细"}
    return Point(
        village_secretary,
        lambda c, f: c.post(reverse("branches:posting_create"), {**data, "photo": f}, follow=True),
        lambda: [p.photo for p in Posting.objects.exclude(photo="")],
        lambda: reverse("branches:record_file", args=["posting", Posting.objects.latest("pk").pk]),
    )


@pytest.fixture
def sign_in_point(village, first_secretary):
    FirstSecretaryFactory(village=village, user=first_secretary)
    return Point(
        first_secretary,
        lambda c, f: c.post(reverse("cadres:sign_in"), {"note": "走访", "photo": f}, follow=True),
        lambda: [s.photo for s in SignIn.objects.exclude(photo="")],
        lambda: reverse("cadres:sign_in_photo", args=[SignIn.objects.latest("pk").pk]),
        images_only=True,
    )


@pytest.fixture
def task_point(village, village_secretary):
    item = ChecklistItem.objects.create(village=village, year=2026, star="industry", origin="gap",
                                        indicator_code="industry.jobs", title="补齐指标", status="open")
    url = reverse("campaign:problem_action", args=[item.pk, "progress"])
    return Point(
        village_secretary,
        lambda c, f: c.post(url, {"note": "新引进帮扶车间一家", "evidence": f}, follow=True),
        lambda: [p.evidence for p in ChecklistProgress.objects.exclude(evidence="").exclude(evidence=None)],
        lambda: reverse("campaign:progress_evidence", args=[item.pk, ChecklistProgress.objects.latest("pk").pk]),
    )


@pytest.fixture
def weekly_point(village, village_secretary):
    from django.utils import timezone

    from ratings.models import TargetLevel, WeeklyPhoto

    TargetLevel.objects.create(village=village, year=timezone.localdate().year, level=4)
    return Point(
        village_secretary,
        lambda c, f: c.post(reverse("campaign:weekly_new"), {"text_industry": "合作社分拣发货", "photos_industry": f},
                            follow=True),
        lambda: [p.image for p in WeeklyPhoto.objects.all()],
        lambda: reverse("campaign:weekly_photo", args=[WeeklyPhoto.objects.latest("pk").pk]),
        images_only=True,
    )


POINTS = ["ledger_point", "meeting_point", "posting_point", "sign_in_point", "task_point", "weekly_point"]


def _media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _messages(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("point_name", POINTS)
def test_disguised_polyglot_and_misnamed_files_are_refused_and_nothing_is_stored(point_name, request, client_for,
                                                                                  settings):
    point = request.getfixturevalue(point_name)
    client = client_for(point.user)
    from config.uploads import (
        MSG_UPLOAD_ACTIVE,
        MSG_UPLOAD_BROKEN,
        MSG_UPLOAD_EXTENSION,
        MSG_UPLOAD_IMAGE_TYPE,
        MSG_UPLOAD_TYPE,
    )

    prefixes = [m.split("{")[0] for m in (MSG_UPLOAD_ACTIVE, MSG_UPLOAD_BROKEN, MSG_UPLOAD_EXTENSION,
                                          MSG_UPLOAD_IMAGE_TYPE, MSG_UPLOAD_TYPE)]
    for label, bad in bad_uploads().items():
        response = point.post(client, bad)
        assert response.status_code == 200, label
        body = _messages(response)
        assert any(p in body for p in prefixes), f"{point_name}: no Chinese refusal for {label}"
        assert point.stored() == [], f"{point_name}: {label} was stored"
    assert _media_files(settings) == []


@pytest.mark.parametrize("point_name", POINTS)
def test_an_oversize_file_is_refused(point_name, request, client_for, settings):
    point = request.getfixturevalue(point_name)
    settings.PORTAL = {**settings.PORTAL, "EVIDENCE_MAX_BYTES": 200}
    big = upload("照片.jpg", jpeg_bytes((64, 64)), "image/jpeg")
    assert big.size > 200
    response = point.post(client_for(point.user), big)
    assert MSG_UPLOAD_SIZE.format(mb=0) in _messages(response)
    assert point.stored() == [] and _media_files(settings) == []


@pytest.mark.parametrize("point_name", POINTS)
def test_a_good_file_is_stored_under_a_generated_name_and_served_with_safe_headers(point_name, request, client_for):
    point = request.getfixturevalue(point_name)
    client = client_for(point.user)
    files = [good_jpeg("会议记录.JPG"), good_png("公开栏.png")] + ([] if point.images_only else [good_pdf()])
    for good in files[:1] if point_name == "sign_in_point" else files:
        point.post(client, good)
    stored = point.stored()
    assert stored, "nothing was stored"
    for f in stored:
        assert GENERATED.search("/" + f.name), f.name
        assert "会议记录" not in f.name and "公开栏" not in f.name
    response = client.get(point.download_url())
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Content-Type"] in ("image/jpeg", "image/png", "application/pdf")
    assert response["Content-Disposition"].startswith("inline;")
    body = b"".join(response.streaming_content)
    assert body[:3] in (b"\xff\xd8\xff", b"\x89PN", b"%PD")


@pytest.mark.parametrize("point_name", POINTS)
def test_anonymous_and_out_of_scope_users_cannot_fetch_a_file(point_name, request, client, client_for,
                                                               other_township_clerk, settings):
    point = request.getfixturevalue(point_name)
    point.post(client_for(point.user), good_jpeg())
    url = point.download_url()
    stored = point.stored()[0]
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert client_for(other_township_clerk).get(url).status_code == 404
    # The file's own path under /media/ answers nothing, signed in or not, in DEBUG too.
    settings.DEBUG = True
    for c in (client, client_for(point.user)):
        assert c.get(f"/{settings.MEDIA_URL}{stored.name}").status_code == 404


def test_guessed_media_paths_answer_404(client, client_for, county_admin):
    for path in ["/media/bulletins/2026/03/419901001000-2026-03.pdf", "/media/evidence/", "/media/../config/settings.py",
                 "/media/branch_meetings/2026/03/会议记录.html"]:
        assert client.get(path).status_code == 404
        assert client_for(county_admin).get(path).status_code == 404


def test_messages_are_chinese():
    from config import uploads

    for name in dir(uploads):
        if name.startswith("MSG_"):
            assert CHINESE.search(getattr(uploads, name)), name


def test_in_production_the_front_server_sends_the_file_after_the_scope_check(meeting_point, client_for, settings):
    point = meeting_point
    client = client_for(point.user)
    point.post(client, good_png())
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    response = client.get(point.download_url())
    stored = point.stored()[0]
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-media/" + stored.name
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Content-Type"] == "image/png"


def test_the_compose_front_server_serves_media_only_internally():
    root = Path(__file__).resolve().parents[2]
    compose = (root / "docker-compose.yml").read_text()
    nginx = (root / "deploy" / "nginx.conf").read_text()
    assert "MEDIA_ACCEL_REDIRECT: /protected-media/" in compose and "deploy/nginx.conf" in compose
    block = nginx[nginx.index("location /protected-media/"):]
    assert "internal;" in block[:block.index("}")]
    assert "location /media" not in nginx  # /media/ goes to Django, which answers 404

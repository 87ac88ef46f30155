"""Files stored before the upload validator: `media_revalidate` renames the valid ones to generated names
and quarantines the rest; until then the scoped view serves them only as downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from branches.models import Meeting
from tests.branches.factories import MeetingFactory
from tests.uploads import HTML, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_meetings(village):
    from django.core.files.base import ContentFile

    good = MeetingFactory(village=village, topic="旧的好附件")
    bad = MeetingFactory(village=village, topic="旧的坏附件")
    good_name = default_storage.save("branch_meetings/2025/01/会议照片.png", ContentFile(png_bytes()))
    bad_name = default_storage.save("branch_meetings/2025/01/会议记录.html", ContentFile(HTML))
    Meeting.objects.filter(pk=good.pk).update(attachment=good_name)
    Meeting.objects.filter(pk=bad.pk).update(attachment=bad_name)
    return good, bad, good_name, bad_name


def test_an_old_file_is_served_only_as_a_sandboxed_download(client_for, village_secretary, old_meetings):
    _, bad, _, _ = old_meetings
    response = client_for(village_secretary).get(reverse("branches:record_file", args=["meeting", bad.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_media_revalidate_reports_without_apply(old_meetings, capsys):
    good, _, good_name, _ = old_meetings
    call_command("media_revalidate")
    out = capsys.readouterr().out
    assert "would rename" in out and "invalid" in out
    assert Meeting.objects.get(pk=good.pk).attachment.name == good_name


def test_media_revalidate_renames_valid_files_and_quarantines_the_rest(old_meetings, settings):
    good, bad, good_name, bad_name = old_meetings
    call_command("media_revalidate", "--apply", "--quarantine")
    good.refresh_from_db()
    bad.refresh_from_db()
    assert re.search(r"/[0-9a-f]{32}\.png$", good.attachment.name)
    assert not default_storage.exists(good_name)
    assert not bad.attachment
    assert (Path(settings.MEDIA_ROOT) / "quarantine" / bad_name).exists()

"""Image bombs are refused from their header, before a pixel is decoded, at every upload point;
a weekly submission's photos are counted before any is decoded; decoding stays under a memory
ceiling. Time and memory of the 7,070 × 7,070 bomb are in docs/security.md."""

from __future__ import annotations

import functools
import io

import pytest
from django.core.exceptions import ValidationError
from PIL import ImageFile

from config import uploads
from config.uploads import MSG_UPLOAD_PIXELS, upload_verify
from ratings.campaign.services import weekly
from ratings.campaign.services.weekly import StarProgress, weekly_report_submit
from ratings.models import TargetLevel, WeeklyPhoto
from tests.security.test_upload_points import (  # noqa: F401  (fixtures)
    POINTS,
    jobs_indicator,
    ledger_point,
    meeting_point,
    posting_point,
    sign_in_point,
    task_point,
    weekly_point,
)
from tests.uploads import jpeg_bytes, png_bomb, upload

pytestmark = pytest.mark.django_db

PIXELS_REFUSED = MSG_UPLOAD_PIXELS.format(megapixels=24)


@functools.cache
def bomb() -> bytes:
    """25 MP of black in 320 KB: over the budget, and decoded whole by the code before it."""
    return png_bomb(5000, 5000, level=1)


@pytest.fixture
def decodes(monkeypatch):
    """Every image decode (ImageFile.load), counted."""
    calls = []
    real = ImageFile.ImageFile.load

    def load(self):
        calls.append(self.size)
        return real(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return calls


@pytest.mark.parametrize("point_name", POINTS)
def test_a_png_bomb_is_refused_from_its_header_at_every_upload_point(point_name, request, client_for, settings,
                                                                     decodes):
    point = request.getfixturevalue(point_name)
    response = point.post(client_for(point.user), upload("照片.png", bomb(), "image/png"))
    assert PIXELS_REFUSED in response.content.decode()
    assert point.stored() == []
    assert decodes == []


def test_an_image_past_pillows_own_limit_gets_the_size_message_not_a_broken_file(decodes):
    with pytest.raises(ValidationError) as refused:
        upload_verify(upload("照片.png", png_bomb(20_000, 20_000, level=1), "image/png"))
    assert refused.value.messages == [PIXELS_REFUSED]
    assert decodes == []


def test_a_jpeg_of_thousands_of_scans_is_refused_before_decoding(decodes):
    photo = jpeg_bytes((16, 16))
    many_scans = photo[:-2] + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" * 500 + photo[-2:]
    with pytest.raises(ValidationError, match="已损坏"):
        upload_verify(upload("照片.jpg", many_scans, "image/jpeg"))
    assert decodes == []


def test_a_jpeg_over_the_memory_ceiling_is_decoded_at_a_smaller_scale(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(uploads, "DECODE_MAX_BYTES", 100 * 100 * 4)
    stored = upload_verify(upload("照片.jpg", jpeg_bytes((320, 240)), "image/jpeg"))
    with Image.open(io.BytesIO(stored.content.read())) as image:
        assert image.size == (80, 60)  # 1/4 scale: 1/2 would need 160 × 120 × 4 bytes


def test_a_png_over_the_memory_ceiling_is_refused_before_decoding(monkeypatch, decodes):
    monkeypatch.setattr(uploads, "DECODE_MAX_BYTES", 100 * 100 * 4)
    with pytest.raises(ValidationError, match="内存"):
        upload_verify(upload("照片.png", png_bomb(320, 240), "image/png"))
    assert decodes == []


@pytest.fixture
def key_village(village):
    from django.utils import timezone

    TargetLevel.objects.create(village=village, year=timezone.localdate().year, level=4)
    return village


def _photos(count: int) -> list:
    return [upload(f"现场{n}.jpg", jpeg_bytes((32, 32)), "image/jpeg") for n in range(count)]


def test_twelve_photos_of_one_star_are_counted_before_any_is_decoded(key_village, village_secretary, decodes):
    entries = [StarProgress(star="industry", text="合作社分拣发货", photos=_photos(6)),
               StarProgress(star="industry", text="帮扶车间开工", photos=_photos(6))]
    with pytest.raises(ValidationError) as refused:
        weekly_report_submit(by=village_secretary, village=key_village, entries=entries)
    assert weekly.MSG_TOO_MANY_PHOTOS.format(star="产业兴旺星", n=6) in refused.value.messages
    assert decodes == [] and not WeeklyPhoto.objects.exists()


def test_photos_kept_this_week_count_before_new_ones_are_decoded(key_village, village_secretary, decodes):
    weekly_report_submit(by=village_secretary, village=key_village,
                         entries=[StarProgress(star="industry", text="合作社分拣发货", photos=_photos(4))])
    decodes.clear()
    with pytest.raises(ValidationError) as refused:
        weekly_report_submit(by=village_secretary, village=key_village,
                             entries=[StarProgress(star="industry", text="帮扶车间开工", photos=_photos(3))])
    assert weekly.MSG_TOO_MANY_PHOTOS.format(star="产业兴旺星", n=6) in refused.value.messages
    assert decodes == [] and WeeklyPhoto.objects.count() == 4

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(code):
    return reverse("reports:township_dashboard", args=[code])


def test_township_clerk_sees_own_township_ranked_in_two_tables(client_for, township_clerk, township, big_county):
    response = client_for(township_clerk).get(url(township.code))
    assert response.status_code == 200
    data = response.context["data"]
    assert len(data["rural"]) == 25 and len(data["urban"]) == 5
    ranks = [r["score"].township_rank for r in data["rural"]]
    assert ranks == sorted(ranks)
    body = response.content.decode()
    assert 'data-testid="rank-urban"' in body and "已发布数据" in body


def test_matrix_marks_earned_close_and_far(client_for, township_clerk, township, big_county):
    rows = client_for(township_clerk).get(url(township.code)).context["data"]["rural"]
    states = {state for r in rows for _, state in r["cells"]}
    assert states == {"earned", "close", "far"}
    # A village earning 2 stars is close (75 ≥ 80 − 10) on its third star, far on the others.
    two = next(r for r in rows if r["score"].star_level == 2)
    assert [s for _, s in two["cells"]] == ["earned", "earned", "close", "far", "far"]


def test_township_dashboard_query_count_is_bounded(client_for, township_clerk, township, big_county,
                                                   django_assert_max_num_queries):
    c = client_for(township_clerk)
    # 16 (who held the township staff post that month) + the published/live switch + whether a
    # township user holds an API token (接口文档).
    # + the early warnings panel (one query) + the running month's progress (its standards here;
    # with results, the township's live rows and entries in two reads, whatever their number).
    with django_assert_max_num_queries(20):
        assert c.get(url(township.code)).status_code == 200


def test_other_township_clerk_gets_404(client_for, other_township_clerk, township, big_county):
    assert client_for(other_township_clerk).get(url(township.code)).status_code == 404


def test_county_user_sees_any_township(client_for, county_admin, other_township, big_county):
    assert client_for(county_admin).get(url(other_township.code)).status_code == 200


def test_village_user_gets_404(client_for, village_secretary, township, big_county):
    assert client_for(village_secretary).get(url(township.code)).status_code == 404


def test_unknown_code_is_404(client_for, county_admin, county):
    assert client_for(county_admin).get(url("999999999000")).status_code == 404


def test_post_is_405(client_for, township_clerk, township):
    assert client_for(township_clerk).post(url(township.code)).status_code == 405


def test_mine_redirects_township_user(client_for, township_clerk, township):
    response = client_for(township_clerk).get(reverse("reports:township_dashboard_mine"))
    assert response.status_code == 302 and response.url == url(township.code)


def test_mine_shows_picker_to_county_user(client_for, county_admin, township, other_township):
    body = client_for(county_admin).get(reverse("reports:township_dashboard_mine")).content.decode()
    assert url(township.code) in body and url(other_township.code) in body


def test_mine_is_404_for_village_user(client_for, village_secretary):
    assert client_for(village_secretary).get(reverse("reports:township_dashboard_mine")).status_code == 404


def _item(village, *, origin="inspection", status="assigned", days_late=3, title="问题"):
    import datetime as dt

    from django.utils import timezone

    from ratings.models import ChecklistItem

    return ChecklistItem.objects.create(
        village=village, year=2026, star="branch", origin=origin, title=title, status=status,
        due_date=timezone.localdate() - dt.timedelta(days=days_late))


def test_overdue_widget_counts_open_items_past_due_by_origin(client_for, township_clerk, township, village,
                                                             foreign_village):
    _item(village, title="逾期问题A")
    _item(village, origin="gap", status="open", title="逾期任务B")
    _item(village, status="closed", title="已销号C")
    _item(village, days_late=-5, title="未到期D")
    _item(foreign_village, title="别乡E")
    response = client_for(township_clerk).get(url(township.code))
    overdue = response.context["data"]["overdue"]
    assert (overdue["gap"], overdue["inspection"], overdue["total"]) == (1, 1, 2)
    html = response.content.decode()
    assert "逾期问题A" in html and "逾期任务B" in html
    assert "已销号C" not in html and "未到期D" not in html and "别乡E" not in html


def test_township_sees_its_unread_notices_and_marks_one_read(client_for, township_clerk, township, other_township):
    from ratings.models import Notice

    mine = Notice.objects.create(region=township, text="某村被摘除产业兴旺星：发生重大安全事故")
    Notice.objects.create(region=other_township, text="别的乡镇的通知")
    c = client_for(township_clerk)
    html = c.get(url(township.code)).content.decode()
    assert "某村被摘除产业兴旺星" in html and "别的乡镇的通知" not in html
    response = c.post(reverse("reports:notice_read", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read
    assert "某村被摘除产业兴旺星" not in c.get(url(township.code)).content.decode()


def test_notice_of_another_township_is_404_and_get_is_405(client_for, township_clerk, other_township):
    from ratings.models import Notice

    theirs = Notice.objects.create(region=other_township, text="x")
    c = client_for(township_clerk)
    assert c.post(reverse("reports:notice_read", args=[theirs.pk])).status_code == 404
    assert c.get(reverse("reports:notice_read", args=[theirs.pk])).status_code == 405
    theirs.refresh_from_db()
    assert not theirs.read


def test_only_township_staff_mark_notices_read(client_for, county_admin, township):
    from ratings.models import Notice

    notice = Notice.objects.create(region=township, text="x")
    assert client_for(county_admin).post(reverse("reports:notice_read", args=[notice.pk])).status_code == 403

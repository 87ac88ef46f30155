"""The campaign pages moved from /reports/ to /campaign/: the old paths still lead there."""

from django.urls import reverse


def test_old_task_list_path_redirects_with_its_query(client_for, township_clerk):
    response = client_for(township_clerk).get("/reports/tasks/?origin=inspection&page=2")
    assert response.status_code == 308
    assert response["Location"] == reverse("campaign:task_list") + "?origin=inspection&page=2"


def test_old_award_action_path_keeps_the_post(client_for, township_clerk):
    response = client_for(township_clerk).post("/reports/awards/7/check/", {"note": "x"})
    assert response.status_code == 308  # 308 makes the browser repeat the POST at the new path
    assert response["Location"] == reverse("campaign:award_action", args=[7, "check"])


def test_dashboards_stay_under_reports(client_for, county_admin):
    assert reverse("reports:county_dashboard").startswith("/reports/")
    assert client_for(county_admin).get(reverse("reports:county_dashboard")).status_code == 200

"""People read by name (and post), never by login; an empty user field never crashes a page; the
site-wide bits: favicon, logout message, lockout page, who sees 接口文档."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse

from cadres.models import Role
from cadres.templatetags.people import person_name
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def project_templates():
    for path in ROOT.rglob("*.html"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "node_modules", "test-artifacts", "staticfiles"}:
            continue
        yield path


def test_a_person_is_named_by_full_name_else_post_never_login(township):
    named = UserFactory(username="zhang3", full_name="张三")
    unnamed = UserFactory(username="clerk9", full_name="")
    PostFactory(user=unnamed, role=Role.TOWNSHIP_STAFF, region=township)
    bare = UserFactory(username="nobody7", full_name="")
    assert person_name(named) == "张三"
    assert person_name(unnamed) == "城关镇乡镇专干" and unnamed.display_name == "城关镇乡镇专干"
    assert "nobody7" not in person_name(bare)
    rendered = Template("{{ a|person }}|{{ b|person }}|{{ c|person:'定时任务' }}|{{ d|person }}").render(
        Context({"a": named, "b": None, "c": None, "d": "王主任"}))
    assert rendered == "张三|—|定时任务|王主任"


def test_no_template_dereferences_an_optional_user_itself():
    """`x.by.get_full_name|default:x.by.username` raised on an empty user (a 500): templates name
    people through `|person`, and a filter argument never looks into an object."""
    argument_lookup = re.compile(r"\|default:[a-z_]+\.[a-z_]+\.[a-z_]+")
    # A login name is shown only where it is the subject (账号管理), marked for the portal walk.
    login = re.compile(r"(?<!<code data-walk-allow>\{\{ )(?<!data-walk-allow>\{\{ )\b[a-z_]+\.username\b")
    offenders = []
    for path in project_templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (argument_lookup, login):
            for match in pattern.finditer(text):
                if match.group(0).startswith("form.username"):
                    continue
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []


def test_favicon_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_logout_says_so_on_the_login_page(client_for, township_clerk):
    c = client_for(township_clerk)
    response = c.post(reverse("logout"), follow=True)
    assert "您已安全退出登录" in response.content.decode()


def test_lockout_page_links_back_to_login(client):
    from django.template.loader import render_to_string

    html = render_to_string("registration/lockout.html", {})
    assert f'href="{reverse("login")}"' in html and "返回登录页" in html


@pytest.mark.parametrize("fixture,shown", [
    ("county_admin", True), ("industry_reviewer", True), ("township_clerk", False), ("village_secretary", False),
    ("first_secretary", False)])
def test_api_docs_are_in_the_menu_of_county_users_only(request, client_for, fixture, shown):
    user = request.getfixturevalue(fixture)
    body = client_for(user).get(reverse("villages:region_browser"), follow=True).content.decode()
    assert ("接口文档" in body) is shown


def test_an_api_user_of_a_township_keeps_api_docs(client_for, township_clerk):
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=township_clerk)
    body = client_for(township_clerk).get(reverse("villages:region_browser"), follow=True).content.decode()
    assert "接口文档" in body

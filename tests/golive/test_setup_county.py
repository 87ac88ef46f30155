"""`setup_county`: the county chain, the year's standards and a first account on an empty database."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cadres.models import AccountEvent, Post, Role, User
from ratings.models import Standard
from villages.models import Level, Region


def _run(*args) -> str:
    out = StringIO()
    call_command("setup_county", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_setup_county_builds_chain_standards_and_first_account_with_one_time_password():
    out = _run("--code", "411421000000", "--name", "民权县", "--admin", "zzb")
    assert [r.name for r in Region.objects.order_by("code")] == ["河南省", "商丘市", "民权县"]
    county = Region.objects.get(code="411421000000")
    assert county.level == Level.COUNTY and county.parent.code == "411400000000"
    assert Standard.objects.filter(status="published").count() == 2
    user = User.objects.get(username="zzb")
    assert user.must_change_password
    assert Post.objects.get(user=user).role == Role.ORGANISATION
    password = re.search(r"一次性密码：(\S+)", out).group(1)
    assert user.check_password(password)
    assert AccountEvent.objects.filter(user=user, action="create", actor=None).exists()


@pytest.mark.django_db
def test_setup_county_refuses_a_second_county_and_a_bad_code():
    with pytest.raises(CommandError, match="12位"):
        _run("--code", "41142100000", "--name", "民权县", "--admin", "zzb")
    with pytest.raises(CommandError, match="12位"):
        _run("--code", "411421001000", "--name", "民权县", "--admin", "zzb")
    assert not Region.objects.exists()
    _run("--code", "411421000000", "--name", "民权县", "--admin", "zzb")
    with pytest.raises(CommandError, match="空数据库"):
        _run("--code", "411422000000", "--name", "睢县", "--admin", "zzb2")
    assert not User.objects.filter(username="zzb2").exists()


@pytest.mark.django_db
def test_setup_county_outside_henan_needs_the_names():
    with pytest.raises(CommandError, match="--province-name"):
        _run("--code", "370102000000", "--name", "历下区", "--admin", "zzb")
    assert not Region.objects.exists()
    _run("--code", "370102000000", "--name", "历下区", "--admin", "zzb", "--province-name", "山东省",
         "--city-name", "济南市")
    assert Region.objects.get(code="370100000000").name == "济南市"

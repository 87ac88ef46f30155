"""The walk's list of what a person must never read catches each kind, and lets Chinese pass."""

from __future__ import annotations

import pytest

from tests.walk.patterns import raw_text_findings


@pytest.mark.parametrize("text,kind", [
    ("补齐指标 branch.life_meetings", "指标代码"),
    ("状态 submitted", "英文状态词"),
    ("退回人 None", "空值"),
    ("责任人：secretary", "登录名"),
    ("设定人 org", "登录名"),
    ("每月{{ close_day }}日", "模板残留"),
    ("系统：organisational_life_meetings", "英文系统代码"),
])
def test_each_kind_of_raw_text_is_caught(text, kind):
    assert any(f.startswith(kind) for f in raw_text_findings(text)), raw_text_findings(text)


def test_chinese_text_with_file_formats_and_numbers_passes():
    text = "下载 Excel 模板 · PDF · 2026年11月 · 已发布 · 城关镇 钱专干 · 40.09% · 第 1 / 4 页 · admin@example.cn"
    assert raw_text_findings(text) == []

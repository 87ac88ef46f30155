"""The default five-star standard (rural villages and urban communities), as data.

The figures the campaign documents leave to the county (pass mark 80 of 100, points, targets,
bands) are editable defaults: `load_standard` writes them as a published Standard for a year,
and the organisation department changes a copy in the standard editor.

Indicators with source "provider" are computed from other apps' records by the metric
providers named here (see ratings/metrics.py): collective_income, operating_income,
operating_income_growth (projects), first_secretary_days_present (cadres),
weak_lax (branches), branch_led_cooperatives,
bindings (projects), community_needs_done (branches: communities' needs matched and done, for the
urban 共建共享 star), members_linked_share, no_office_posted_share and member_average_points
(branches: the member roster), duty_days_covered and errands_done_in_time (branches: the service
centre's roster and errands, for 支部过硬; pairing_activities_quarter is offered in the editor).
Organisational life (三会一课, 主题党日) is counted from the meetings the
branches app records, by the organisational_life_meetings and themed_party_days providers.
Everything else is entered by township staff as a ledger (台账).

Row format: (code suffix, name, source, provider, value_type, unit, min, max, aggregation,
frequency, rule, params, direction, points, required, evidence_required).
"""

from __future__ import annotations

L, P = "ledger", "provider"
B, N, PCT, C = "boolean", "number", "percent", "count"
M, Q, Y = "monthly", "quarterly", "yearly"
HI, LO = "higher", "lower"

# evidence_required: True, False, or NONZERO (evidence only when the value is not 0: a count of
# incidents needs no proof that nothing happened).
NONZERO = "nonzero"
VETO = lambda code, name: (code, name, L, "", C, "起", 0, 99, "sum", M, "veto", {}, HI, 0, False, NONZERO)  # noqa: E731

BRANCH = ("branch", "支部过硬星", "县委组织部", [
    ("committee_complete", "村“两委”班子配备齐全、结构合理", L, "", B, "", 0, 1, "latest", Y, "pass_fail", {}, HI, 15, True, False),
    ("life_meetings", "当月三会一课开展次数", P, "organisational_life_meetings", C, "次", 0, 99, "latest", M, "threshold", {"threshold": 2}, HI, 15, False, False),
    ("themed_party_day", "当月主题党日开展次数", P, "themed_party_days", C, "次", 0, 99, "latest", M, "pass_fail", {}, HI, 10, False, False),
    ("member_points", "党员积分管理落实率", L, "", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 95}, HI, 10, False, False),
    ("four_two", "“四议两公开”执行率", L, "", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 100}, HI, 15, False, True),
    ("three_affairs", "党务村务财务按时公开", L, "", B, "", 0, 1, "latest", M, "pass_fail", {}, HI, 10, False, True),
    # 党群服务中心 in use, judged by its posted duty and its errands (挂牌值班, 代办制)
    ("duty_days", "党群服务中心当月值班天数", P, "duty_days_covered", N, "天", 0, 31, "latest", M, "ratio", {"target": 20}, HI, 5, False, False),
    ("errands_in_time", "代办事项按承诺时限办结率", P, "errands_done_in_time", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 90}, HI, 5, False, False),
    # Members managed, from the member roster (branches): households linked, 无职 members with a
    # post, the month's average points. The other roster providers (pledges on track, 流动 members
    # contacted, attendance) are available to the standard editor.
    ("member_households", "党员联户覆盖率", P, "members_linked_share", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 95}, HI, 4, False, False),
    ("members_posted", "无职党员设岗定责比例", P, "no_office_posted_share", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 90}, HI, 3, False, False),
    ("member_average_points", "党员当月人均积分", P, "member_average_points", N, "分", 0, 100, "latest", M, "ratio", {"target": 3}, HI, 3, False, False),
    ("first_secretary_days", "第一书记当月驻村天数", P, "first_secretary_days_present", N, "天", 0, 31, "latest", M, "ratio", {"target": 20}, HI, 5, False, False),
    ("weak_lax", "列为软弱涣散党组织且未整顿验收", P, "weak_lax", B, "", 0, 1, "latest", M, "veto", {}, HI, 0, False, False),
    VETO("discipline_veto", "班子成员严重违纪违法"),
])

INDUSTRY = ("industry", "产业兴旺星", "县农业农村局", [
    ("collective_income", "村集体经济年收入", P, "collective_income", N, "元", 0, None, "latest", Y, "banded",
     {"bands": [[50000, 8], [100000, 14], [500000, 18], [1000000, 20]]}, HI, 20, True, False),
    ("operating_income", "村集体经营性收入", P, "operating_income", N, "元", 0, None, "latest", Y, "banded",
     {"bands": [[30000, 5], [50000, 8], [100000, 10]]}, HI, 10, False, False),
    ("income_growth", "集体经营性收入增长率", P, "operating_income_growth", PCT, "%", None, None, "latest", Y, "threshold", {"threshold": 10}, HI, 10, False, False),
    ("leading_industry", "形成“一村一品”主导产业", L, "", B, "", 0, 1, "latest", Y, "pass_fail", {}, HI, 10, False, True),
    ("branch_cooperative", "党支部领办合作社", P, "branch_led_cooperatives", C, "个", 0, 99, "latest", Y, "threshold", {"threshold": 1}, HI, 10, False, False),
    ("double_binding", "“双绑”利益联结机制", P, "bindings", C, "个", 0, 99, "latest", Y, "threshold", {"threshold": 1}, HI, 10, False, False),
    ("jobs", "产业带动就业人数", L, "", C, "人", 0, 10000, "latest", Q, "ratio", {"target": 50}, HI, 10, False, False),
    ("farmer_income_growth", "农村居民人均可支配收入增长率", L, "", PCT, "%", -100, 100, "latest", Q, "threshold", {"threshold": 6}, HI, 10, False, False),
    ("project_progress", "产业项目按计划推进率", L, "", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 100}, HI, 10, False, False),
    VETO("asset_loss_veto", "集体资产资源重大流失"),
])

ECOLOGY = ("ecology", "生态宜居星", "县农业农村局、县自然资源局", [
    ("toilet_rate", "卫生厕所改造率", L, "", PCT, "%", 0, 100, "latest", Q, "ratio", {"target": 90}, HI, 15, False, False),
    ("sewage_rate", "生活污水治理率", L, "", PCT, "%", 0, 100, "latest", Q, "ratio", {"target": 60}, HI, 15, False, False),
    ("waste_system", "生活垃圾收运处置体系正常运行", L, "", B, "", 0, 1, "latest", M, "pass_fail", {}, HI, 10, True, False),
    ("village_plan", "完成村庄规划编制", L, "", B, "", 0, 1, "latest", Y, "pass_fail", {}, HI, 10, False, True),
    ("environment_check", "人居环境整治月度检查得分", L, "", N, "分", 0, 100, "latest", M, "threshold", {"threshold": 85}, HI, 15, False, False),
    ("model_courtyards", "“五美庭院”创建比例", L, "", PCT, "%", 0, 100, "latest", Q, "ratio", {"target": 30}, HI, 10, False, False),
    ("greening", "村庄绿化覆盖率", L, "", PCT, "%", 0, 100, "latest", Y, "ratio", {"target": 30}, HI, 10, False, False),
    ("environment_problems", "人居环境突出问题（未整改）", L, "", C, "处", 0, 999, "latest", M, "deduction", {"per_event": 5}, HI, 15, False, False),
    VETO("pollution_veto", "发生重大环境污染事件"),
])

SAFETY = ("safety", "平安法治星", "县委政法委", [
    ("one_police", "落实“一村一警”", L, "", B, "", 0, 1, "latest", Y, "pass_fail", {}, HI, 10, True, False),
    ("legal_deputy", "落实“一村一法治副书记”", L, "", B, "", 0, 1, "latest", Y, "pass_fail", {}, HI, 10, True, False),
    ("dispute_resolution", "矛盾纠纷化解率", L, "", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 98}, HI, 20, False, False),
    ("petition_closure", "信访事项按期办结率", L, "", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 100}, HI, 10, False, False),
    ("fraud_rate", "电信网络诈骗发案率（每万人）", L, "", N, "起/万人", 0, 1000, "latest", M, "ratio", {"target": 1}, LO, 15, False, False),
    ("grid_management", "网格化服务管理全覆盖", L, "", B, "", 0, 1, "latest", Q, "pass_fail", {}, HI, 10, False, False),
    ("law_education", "当季法治宣传教育活动次数", L, "", C, "次", 0, 99, "latest", Q, "threshold", {"threshold": 2}, HI, 10, False, True),
    ("key_persons", "重点人员服务管理落实率", L, "", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 100}, HI, 15, False, False),
    VETO("mass_petition_veto", "发生越级集访"),
    VETO("case_veto", "发生刑事案件或重大安全事故"),
])

CIVILITY = ("civility", "文明幸福星", "县委宣传部", [
    ("practice_station", "新时代文明实践站规范运行", L, "", B, "", 0, 1, "latest", M, "pass_fail", {}, HI, 15, True, True),
    ("village_rules", "村规民约修订完善并执行", L, "", B, "", 0, 1, "latest", Y, "pass_fail", {}, HI, 10, False, False),
    ("customs_reform", "红白理事会发挥作用（移风易俗）", L, "", B, "", 0, 1, "latest", Q, "pass_fail", {}, HI, 10, False, False),
    ("model_families", "评选文明家庭、好婆媳等户数", L, "", C, "户", 0, 999, "latest", Y, "ratio", {"target": 10}, HI, 10, False, False),
    ("elderly_care", "老年食堂（幸福院）正常运行", L, "", B, "", 0, 1, "latest", M, "pass_fail", {}, HI, 15, False, True),
    ("volunteer_events", "当月志愿服务活动次数", L, "", C, "次", 0, 99, "latest", M, "threshold", {"threshold": 2}, HI, 10, False, False),
    ("culture_facilities", "文化广场、农家书屋正常开放", L, "", B, "", 0, 1, "latest", Q, "pass_fail", {}, HI, 10, False, False),
    ("satisfaction", "群众满意度", L, "", PCT, "%", 0, 100, "latest", Q, "threshold", {"threshold": 90}, HI, 20, False, False),
    VETO("opinion_veto", "发生重大负面舆情或非法宗教、封建迷信活动"),
])

# Urban communities: the same five codes, their own stars and indicators.
URBAN_INDUSTRY = ("industry", "宜业兴业星", "县人社局、县商务局", [
    ("employment_station", "社区就业服务站规范运行", L, "", B, "", 0, 1, "latest", M, "pass_fail", {}, HI, 15, True, False),
    ("hard_to_employ", "就业困难人员帮扶就业率", L, "", PCT, "%", 0, 100, "latest", Q, "ratio", {"target": 90}, HI, 15, False, False),
    ("new_jobs", "新增就业岗位", L, "", C, "个", 0, 10000, "sum", M, "ratio", {"target": 60}, HI, 15, False, False),
    ("collective_income", "社区集体经济年收入", P, "collective_income", N, "元", 0, None, "latest", Y, "banded",
     {"bands": [[50000, 5], [100000, 8], [500000, 10]]}, HI, 10, False, False),
    ("enterprise_service", "辖区企业和商户服务覆盖率", L, "", PCT, "%", 0, 100, "latest", Q, "ratio", {"target": 90}, HI, 10, False, False),
    ("skills_training", "当季职业技能培训人次", L, "", C, "人次", 0, 10000, "latest", Q, "ratio", {"target": 50}, HI, 10, False, False),
    ("startup_support", "创业扶持项目数", L, "", C, "个", 0, 999, "latest", Y, "threshold", {"threshold": 2}, HI, 10, False, False),
    ("business_environment", "营商环境投诉按期办结率", L, "", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 100}, HI, 15, False, False),
    VETO("wage_arrears_veto", "发生因欠薪引发的群体性事件"),
])

URBAN_ECOLOGY = ("ecology", "共建共享星", "县住建局", [
    ("joint_units", "在职党员和共建单位到社区报到率", L, "", PCT, "%", 0, 100, "latest", Q, "ratio", {"target": 95}, HI, 10, False, False),
    ("property_coverage", "小区物业服务覆盖率", L, "", PCT, "%", 0, 100, "latest", Q, "ratio", {"target": 90}, HI, 15, True, False),
    ("waste_sorting", "垃圾分类覆盖率", L, "", PCT, "%", 0, 100, "latest", M, "ratio", {"target": 90}, HI, 10, False, False),
    ("old_estates", "老旧小区改造完成率", L, "", PCT, "%", 0, 100, "latest", Y, "ratio", {"target": 100}, HI, 10, False, False),
    ("red_property", "“红色物业”覆盖", L, "", B, "", 0, 1, "latest", Y, "pass_fail", {}, HI, 10, False, True),
    ("resident_council", "居民议事会当季议事次数", L, "", C, "次", 0, 99, "latest", Q, "threshold", {"threshold": 2}, HI, 10, False, False),
    ("environment_check", "环境卫生月度检查得分", L, "", N, "分", 0, 100, "latest", M, "threshold", {"threshold": 85}, HI, 10, False, False),
    # 需求清单 / 资源清单: needs matched to the stationed units' resources and done, year to date.
    ("needs_done", "需求清单对接办结件数（年内累计）", P, "community_needs_done", C, "件", 0, None, "sum", M, "ratio",
     {"target": 12}, HI, 10, False, False),
    ("complaints_open", "群众诉求未办结件数", L, "", C, "件", 0, 999, "latest", M, "deduction", {"per_event": 3}, HI, 15, False, False),
    VETO("pollution_veto", "发生重大环境污染或安全生产事件"),
])

URBAN_CIVILITY = ("civility", "幸福和谐星", "县委宣传部、县民政局", [
    ("practice_station", "新时代文明实践站规范运行", L, "", B, "", 0, 1, "latest", M, "pass_fail", {}, HI, 15, True, True),
    ("elderly_service", "社区养老服务站（老年食堂）运行", L, "", B, "", 0, 1, "latest", M, "pass_fail", {}, HI, 15, False, False),
    ("child_care", "“一老一小”服务场所达标", L, "", B, "", 0, 1, "latest", Y, "pass_fail", {}, HI, 10, False, False),
    ("volunteer_events", "当月志愿服务活动次数", L, "", C, "次", 0, 99, "latest", M, "threshold", {"threshold": 3}, HI, 10, False, False),
    ("model_families", "评选文明家庭户数", L, "", C, "户", 0, 999, "latest", Y, "ratio", {"target": 15}, HI, 10, False, False),
    ("neighbourhood_events", "邻里节等文体活动次数（当季）", L, "", C, "次", 0, 99, "latest", Q, "threshold", {"threshold": 2}, HI, 10, False, False),
    ("residents_rules", "居民公约修订完善并执行", L, "", B, "", 0, 1, "latest", Y, "pass_fail", {}, HI, 10, False, False),
    ("satisfaction", "居民满意度", L, "", PCT, "%", 0, 100, "latest", Q, "threshold", {"threshold": 90}, HI, 20, False, False),
    VETO("opinion_veto", "发生重大负面舆情事件"),
])

RURAL = [BRANCH, INDUSTRY, ECOLOGY, SAFETY, CIVILITY]
URBAN = [BRANCH, URBAN_INDUSTRY, URBAN_ECOLOGY, SAFETY, URBAN_CIVILITY]
STANDARDS = {"rural": ("农村五星支部创建标准", RURAL), "urban": ("城市社区五星支部创建标准", URBAN)}
PASS_MARK = 80

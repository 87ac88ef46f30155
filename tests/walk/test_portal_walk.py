"""The guard: walk the portal as every demo role, at 1280 px and at 390 px.

Every role starts at its landing page and follows every same-origin link it is shown (menu
included), a few pages per URL shape (a list of 300 villages costs one visit, not 300). A page
whose shape no role has yet rendered at this width is opened in Chromium (console errors, visible
text, horizontal scroll and squeezed table cells at 390 px, a screenshot under
test-artifacts/walk/); every other link is fetched as the role, its status and text checked and
its links followed. Downloads are fetched, not rendered. It fails on a 5xx, a shown link that
answers 403 or 404, text a person must never read (tests/walk/patterns.py), horizontal scroll or
a squeezed table at 390 px, and any console error; on a total marked `data-sum-of` that is not
the sum of its rows (`data-sum-part`); and on a star word of the other kind of place: the key
community's secretary (and the county, on every page he reached) never reads a rural star's
name, in a page or a PDF, the rural village's secretary never a community star's. The key
community's secretary reads his community's own pages at 390 px too: they are drawn for him at
that width even where another role drew their shape (their words only; no second walk).

The world is the demo county cut to its first three townships (城关镇 with its communities,
东城街道, 王庄乡: every demo login keeps its region), seeded once for the walk.
"""

from __future__ import annotations

import html
import re
import time
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from cadres.models import RURAL_ONLY_STAR_WORDS, URBAN_ONLY_STAR_WORDS
from tests.sums import wrong_sums
from tests.walk.patterns import BARE_YES_NO, YES_NO_LABEL, raw_text_findings

pytestmark = [pytest.mark.browser, pytest.mark.walk, pytest.mark.django_db(transaction=True)]

ROLES = ["org", "lead_branch", "lead_industry", "lead_ecology", "lead_safety", "lead_civility",
         "clerk", "clerk2", "secretary", "first", "leader", "tleader", "keysec"]
WIDTHS = (1280, 390)
PER_SHAPE = 1  # pages per URL shape, per role
# Words a role's every page must not hold: the key community's secretary sees only his community
# (never a rural star's name), the rural village's secretary only his village (never a community
# star's name). The county re-reads the community secretary's pages (walk_as_county_on).
FORBIDDEN_WORDS = {"keysec": RURAL_ONLY_STAR_WORDS, "secretary": URBAN_ONLY_STAR_WORDS}
# Roles whose own pages are drawn again at the phone width although their shapes were drawn
# (for another role's region): their star words are read at 390 px as well.
OWN_PAGES_AT_EVERY_WIDTH = {"keysec"}
# Fewer pages than this at the first width means the walk itself broke (login, landing page).
MIN_PAGES = {role: 20 for role in ROLES}
SKIP_PATHS = ("/accounts/logout/", "/admin/", "/static/")
DOWNLOAD = re.compile(r"(\.(pdf|xlsx|xls|csv|zip|docx|png|jpe?g)$)|/(download|export|template|media)(/|$)|"
                      r"[-_/](pdf|xlsx|excel)(/|$)")
# Pages written for programmers (Swagger UI, the browsable API): their English is by design.
TEXT_EXEMPT = re.compile(r"^/api/")
HREF = re.compile(r"<a\b[^>]*?\shref=\"([^\"]+)\"([^>]*)>", re.I)
HIDDEN = re.compile(r"<(script|style|noscript|template)\b.*?</\1>|<[^>]*\bdata-walk-allow\b[^>]*>.*?</[a-z0-9]+>",
                    re.S | re.I)

PAGE_PROBE = """() => {
  const skip = el => el.closest('[data-walk-allow], script, style, noscript, template');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || skip(el)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    parts.push(n.textContent);
  }
  const links = [...document.querySelectorAll('a[href]')].map(a => ({href: a.href, download: a.hasAttribute('download')}));
  const yesNo = [];
  for (const table of document.querySelectorAll('table')) {
    const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    for (const tr of table.querySelectorAll('tbody tr')) {
      [...tr.children].forEach((td, i) => { if (heads[i]) yesNo.push([heads[i], td.textContent.trim()]); });
    }
  }
  for (const dt of document.querySelectorAll('dt')) {
    const dd = dt.nextElementSibling;
    if (dd && dd.tagName === 'DD') yesNo.push([dt.textContent.trim(), dd.textContent.trim()]);
  }
  const squeezed = [];
  if (window.innerWidth < 500) {
    for (const cell of document.querySelectorAll('th, td')) {
      const text = cell.textContent.trim();
      const r = cell.getBoundingClientRect();
      const size = parseFloat(getComputedStyle(cell).fontSize) || 16;
      if (text.length >= 3 && r.width > 0 && r.width < 1.8 * size && r.height > 3 * size) squeezed.push(text.slice(0, 20));
    }
  }
  const doc = document.documentElement;
  return {text: parts.join(' '), links, yesNo, squeezed,
          scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, height: doc.scrollHeight};
}"""


def page_shape(path: str) -> str:
    """What is drawn once per width: the page's path with its numbers (its layout; a query string
    only filters, sorts or pages it)."""
    return re.sub(r"\d+", "<n>", path)


def url_shape(path: str, query: str) -> str:
    keys = sorted({k for k, _ in parse_qsl(query, keep_blank_values=True)})
    return re.sub(r"\d+", "<n>", path) + ("?" + "&".join(keys) if keys else "")


def pages_to_draw(plan, rendered: set, about: str = "") -> list[tuple[str, str, bool]]:
    """(url, where, first) for the pages of a role's plan drawn at a further width: each page
    whose shape is not yet drawn at that width (`first`, added to `rendered`), and, given `about`
    (a division code), every page about that village or community even when its shape was drawn
    (drawn again for its words and width checks, without a screenshot)."""
    out = []
    for url, shape, where in plan:
        if shape not in rendered:
            rendered.add(shape)
            out.append((url, where, True))
        elif about and about in url:
            out.append((url, where, False))
    return out


def pdf_text(body: bytes) -> str:
    import subprocess

    done = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace").replace("\n", "")


def html_text(markup: str) -> str:
    body = markup.split("<body", 1)[-1]
    return html.unescape(re.sub(r"<[^>]+>", " ", HIDDEN.sub(" ", body)))


@pytest.fixture
def compact_demo(monkeypatch, settings):
    """The demo county's first three townships, seeded through the demo's own command."""
    import io

    from django.core.management import call_command

    import villages.demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(villages.demo, "TOWNSHIPS", villages.demo.TOWNSHIPS[:3])
    started = time.monotonic()
    call_command("seed_demo", stdout=io.StringIO())
    return time.monotonic() - started


class Walk:
    """One role at one width. `rendered` (shapes opened in Chromium at this width) is shared by
    the roles, so a page shape is drawn once per width and fetched for the other roles."""

    def __init__(self, context, base: str, role: str, width: int, rendered: set, shots):
        self.context, self.base, self.role, self.width = context, base, role, width
        self.rendered, self.shots = rendered, shots
        self.page = context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        self.page.on("pageerror", lambda e: self.console.append(str(e)))
        self.failures: list[str] = []
        self.drawn: list[str] = []
        self.rechecked: list[str] = []  # own pages drawn again at this width for their words
        self.fetched: list[str] = []
        self.downloads: dict[str, int] = {}
        self.shapes: dict[str, int] = {}
        self.seen: set[str] = set()
        self.queue: list[tuple[str, str, str]] = []  # (url, page shape, where it was shown)
        self.visits: list[tuple[str, str, str]] = []
        self.follow = True
        self.forbidden = FORBIDDEN_WORDS.get(role, ())
        self.about = ""  # the division code of the role's own village: its pages are the ones checked

    def fail(self, url: str, what: str) -> None:
        self.failures.append(f"[{self.role} @{self.width}px] {url}: {what}")

    def offer(self, href: str, where: str, download: bool = False) -> None:
        parts = urlsplit(urljoin(self.base + where, html.unescape(href)))
        if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != self.base:
            return
        if parts.path.startswith(SKIP_PATHS):
            return
        url = parts.path + ("?" + parts.query if parts.query else "")
        if url in self.seen:
            return
        self.seen.add(url)
        shape = url_shape(parts.path, parts.query)
        if download or DOWNLOAD.search(parts.path):
            if self.follow and shape not in self.downloads:
                # A PDF renders in seconds, longer on a loaded shared machine: the walk checks what
                # a download holds, its speed is the benchmarks' business.
                response = self.context.request.get(self.base + url, max_redirects=0, timeout=90000)
                self.downloads[shape] = self.status_of(response, url, where)
                if self.forbidden and "pdf" in response.headers.get("content-type", ""):
                    self.check_words(url, pdf_text(response.body()))
            return
        if self.shapes.get(shape, 0) >= PER_SHAPE:
            return
        self.shapes[shape] = self.shapes.get(shape, 0) + 1
        self.queue.append((url, page_shape(parts.path), where))

    def status_of(self, response, url: str, where: str) -> int:
        status = response.status if response else 0
        if status >= 500:
            self.fail(url, f"服务器错误 {status}（链接出现在 {where}）")
        elif status in (403, 404):
            self.fail(url, f"链接返回 {status}（出现在 {where}）")
        return status

    def check_words(self, url: str, text: str) -> None:
        # Pages about the role's own village or community (a county-wide page such as the task
        # forces names both kinds of stars by design).
        if not self.about or self.about not in url:
            return
        found = [w for w in self.forbidden if w in text]
        if found:
            self.fail(url, f"出现另一类村（社区）的星名：{'、'.join(found)}")

    def check_sums(self, url: str, markup: str) -> None:
        for wrong in wrong_sums(markup)[:2]:
            self.fail(url, f"合计与各行之和不符：{wrong}")

    def check_text(self, url: str, text: str, yes_no) -> None:
        self.check_words(url, text)
        url = urlsplit(url).path
        if TEXT_EXEMPT.match(url):
            return
        for finding in raw_text_findings(text)[:4]:
            self.fail(url, finding)
        for label, value in yes_no:
            if YES_NO_LABEL.search(label) and value.lower() in BARE_YES_NO:
                self.fail(url, f"是/否显示为 {value}（{label}）")
                break

    def fetch(self, url: str, where: str) -> None:
        """A page of a shape already drawn at this width: status, text and links, no rendering."""
        response = self.context.request.get(self.base + url)
        self.fetched.append(url)
        if self.status_of(response, url, where) >= 400 or "html" not in response.headers.get("content-type", ""):
            return
        final = urlsplit(response.url).path
        if final.startswith("/accounts/login"):
            self.fail(url, "被转到登录页")
        markup = response.text()
        self.check_text(response.url, html_text(markup), [])
        self.check_sums(url, markup)
        for href, attrs in HREF.findall(markup):
            self.offer(href, url, " download" in attrs)

    def draw(self, url: str, where: str, screenshot: bool = True) -> None:
        self.console.clear()
        try:
            response = self.page.goto(self.base + url, wait_until="load")
        except Exception as exc:  # a link that turns out to be a download
            if "Download is starting" not in str(exc):
                raise
            self.downloads[url] = 200
            return
        self.drawn.append(url)
        if not screenshot:
            self.rechecked.append(url)
        final = urlsplit(self.page.url).path
        if self.status_of(response, url, where) >= 400:
            return
        if final.startswith("/accounts/login"):
            self.fail(url, "被转到登录页")
        probe = self.page.evaluate(PAGE_PROBE)
        self.check_text(self.page.url, probe["text"], probe["yesNo"])
        self.check_sums(url, self.page.content())
        if self.width < 500:
            if probe["scrollWidth"] > probe["clientWidth"] + 1:
                self.fail(url, f"横向滚动：页面宽 {probe['scrollWidth']} px")
            for text in probe["squeezed"][:2]:
                self.fail(url, f"表格被挤成竖排：{text}")
        for message in self.console:
            self.fail(url, f"控制台错误：{message[:200]}")
        if not screenshot:
            return  # a page drawn again for its words: its links were followed at the first width
        name = f"{self.width}-{self.role}-{len(self.drawn):03d}-{re.sub(r'[^A-Za-z0-9]+', '_', url)[:60]}.png"
        self.page.screenshot(path=str(self.shots / name), full_page=probe["height"] < 3000)
        for link in probe["links"]:
            self.offer(link["href"], url, link["download"])

    def run(self, plan: list[tuple[str, str, str]] | None = None) -> None:
        """Walk from the landing page; with a plan (the pages this role reached at the first
        width), draw those of its pages whose shape is not yet drawn at this width."""
        if plan is not None:
            self.follow = False  # links and downloads were checked at the first width
            own = self.about if self.role in OWN_PAGES_AT_EVERY_WIDTH else ""
            for url, where, first in pages_to_draw(plan, self.rendered, own):
                self.draw(url, where, screenshot=first)
            return
        self.offer("/", "/")
        while self.queue:
            url, shape, where = self.queue.pop(0)
            self.visits.append((url, shape, where))
            if shape not in self.rendered:
                self.rendered.add(shape)
                self.draw(url, where)
            else:
                self.fetch(url, where)


def test_every_role_walks_the_portal_without_a_dead_end(compact_demo, chromium, live_server, screenshot_dir):
    from django.test import Client

    from cadres.models import User

    shots = screenshot_dir / "walk"
    shots.mkdir(exist_ok=True)
    for old in shots.glob("*.*"):
        old.unlink()
    started = time.monotonic()
    failures, summary, plans = [], [], {}
    from cadres.models import Post, Role

    own_village = {p.user.username: p.region.code for p in Post.objects.filter(
        user__username__in=FORBIDDEN_WORDS, role=Role.VILLAGE_SECRETARY).select_related("user", "region")}

    def context_for(role: str, width: int):
        client = Client()
        client.force_login(User.objects.get(username=role), backend="django.contrib.auth.backends.ModelBackend")
        context = chromium.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True,
                                       viewport={"width": width, "height": 900 if width > 500 else 844})
        context.set_default_timeout(20000)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
        return context

    for width in WIDTHS:
        rendered: set[str] = set()
        for role in ROLES:
            context = context_for(role, width)
            # Links and their statuses are the same at both widths: followed at the first only.
            walk = Walk(context, live_server.url, role, width, rendered, shots)
            walk.about = own_village.get(role, "")
            try:
                walk.run(plans.get(role))
            finally:
                context.close()
            plans.setdefault(role, walk.visits)
            if width == WIDTHS[0]:
                # A walk that got nowhere (a login that failed, a landing page without links) must not pass.
                assert len(walk.visits) >= MIN_PAGES[role], f"{role} reached only {len(walk.visits)} pages"
            failures += walk.failures
            summary.append(f"{role}@{width}: 绘制 {len(walk.drawn)} 页（其中本社区页面复查 {len(walk.rechecked)} 页）, "
                           f"抓取 {len(walk.fetched)} 页, {len(walk.downloads)} 个下载")
            if role in OWN_PAGES_AT_EVERY_WIDTH and width != WIDTHS[0]:
                # The key community's pages were read at this width: none of them went unchecked.
                own = [u for u, _s, _w in plans[role] if walk.about and walk.about in u]
                assert own and set(own) <= set(walk.drawn), f"{role}@{width}: 本社区页面未全部在此宽度检查"
    # The county on the key community's pages (every page its secretary reached): community words.
    context = context_for("org", WIDTHS[0])
    county = Walk(context, live_server.url, "org", WIDTHS[0], set(), shots)
    county.forbidden, county.follow, county.about = RURAL_ONLY_STAR_WORDS, False, own_village["keysec"]
    try:
        for url, _shape, where in plans["keysec"]:
            if county.about in url:
                county.fetch(url, where)
    finally:
        context.close()
    # Only what this pass checks: a form of the village's own roles answers the county 403 by design.
    failures += [f for f in county.failures if "星名" in f or "合计" in f]
    summary.append(f"org@{WIDTHS[0]} 在社区页面：抓取 {len(county.fetched)} 页")
    elapsed = time.monotonic() - started
    report = "\n".join(summary) + f"\n演示数据 {compact_demo:.0f} 秒，走查 {elapsed:.0f} 秒"
    (shots / "summary.txt").write_text(report + "\n\n" + "\n".join(failures), encoding="utf-8")
    assert not failures, f"{len(failures)} 处问题：\n" + "\n".join(failures[:120]) + "\n\n" + report

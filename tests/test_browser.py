"""Every page of the built book in a real browser, with the network cut.

Headless Debian Chromium, driven by Playwright (its own browser downloads are never used),
opens each page from the file system. Every request that is not for a local file is
aborted and recorded: a page passes only if it made none, its tables and figures render
(images decoded), the console shows no error, axe-core finds no serious or critical
accessibility violation, and it needs no sideways scrolling on a phone's width.
A screenshot of each page's first screen is kept in _build/test-artifacts/screenshots/
(whole pages with KZIRAN_FULL_SCREENSHOTS=1: a full-page shot of a long page takes
Chromium seconds, more than all the checks of that page).

Skips, with the reason, when /usr/bin/chromium is missing; with KZIRAN_REQUIRE_BROWSER set
(as in CI, which installs Chromium) it fails instead.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import ROOT, built_html, chapter_pages, toc_pages

from kziran import editions

pytestmark = pytest.mark.book  # reads the built book (see conftest.built_html)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ARTIFACTS = ROOT / "_build" / "test-artifacts"
SHOTS = ARTIFACTS / "screenshots"
LOCAL = ("file:", "data:", "blob:", "about:")


def book_pages() -> list[str]:
    return ["index", *toc_pages(), "search", "genindex"]


def every_site_pages() -> list[str]:
    """Every page of the three sites: "notebooks/01_introduction", "kk/notebooks/…"."""
    return [editions.prefix(lang) + rel for lang in editions.LANGUAGES for rel in book_pages()]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found (install Debian's chromium: make system-deps)"
        if os.environ.get("KZIRAN_REQUIRE_BROWSER"):
            pytest.fail(f"KZIRAN_REQUIRE_BROWSER is set but {message}")
        pytest.skip(f"browser tests skipped: {message}")
    built_html()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


class Tab:
    """One browser tab, kept for the module, that lets only local files through.

    Opening each page in a fresh context costs Chromium a new renderer every time (about
    twice the time of all the checks); pages are opened one after another in this tab
    instead, as a reader would, and what each visit records starts empty.
    """

    def __init__(self, browser):
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(accept_downloads=True,
                                           viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else 0)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, rel: str, query: str = "", lands_on: str | None = None) -> Tab:
        self.blocked.clear()
        self.errors.clear()
        url = (built_html() / f"{rel}.html").as_uri() + query
        self.page.goto(url, wait_until="load")
        if lands_on:  # a page that forwards to another
            self.page.wait_for_url(f"**/{lands_on}")
            self.page.wait_for_load_state("load")
        self.page.evaluate(
            """() => Promise.all(Array.from(document.images).map(img => {
                 img.loading = "eager";
                 return img.complete ? 0 : new Promise(r => { img.onload = img.onerror = r; });
               }))""")
        return self


@pytest.fixture(scope="module")
def tab(browser):
    t = Tab(browser)
    yield t
    t.context.close()


@pytest.fixture
def visit(tab):
    yield tab.open
    for extra in tab.context.pages[1:]:  # pages a test opened (a downloaded notebook)
        extra.close()


@pytest.mark.parametrize("path", every_site_pages())
def test_page_renders_offline(visit, path):
    lang = next((t for t in editions.TRANSLATIONS if path.startswith(f"{t}/")), "en")
    rel = path.removeprefix(editions.prefix(lang))
    # The root page forwards to the landing page.
    v = visit(path, lands_on="book/index.html" if rel == "index" else None)
    page = v.page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path.replace('/', '__')}.png"),
                    full_page=bool(os.environ.get("KZIRAN_FULL_SCREENSHOTS")))
    # What only a browser can tell: nothing fetched from outside, no script error, tables
    # laid out, images decoded. (Language, headings and alt texts are checked on the files
    # themselves, in test_offline_html.)
    info = page.evaluate(
        """() => {
          const article = document.querySelector("article") || document.body;
          return {
            title: document.title,
            tables: Array.from(article.querySelectorAll("table")).map(t => ({
              rows: t.rows.length, height: t.getBoundingClientRect().height,
              caption: t.caption ? t.caption.textContent.trim() : ""})),
            images: Array.from(document.images).map(i => ({
              src: i.getAttribute("src"), width: i.naturalWidth,
              figure: (i.getAttribute("src") || "").includes("_images/")})),
          };
        }""")
    assert not v.blocked, f"requests outside the book: {v.blocked}"
    assert not v.errors, f"console errors: {v.errors}"
    assert info["title"].strip()
    for t in info["tables"]:
        assert t["rows"] >= 2 and t["height"] > 0, t
    if rel in chapter_pages():
        assert info["tables"] and all(t["caption"] for t in info["tables"]), info["tables"]
    for img in info["images"]:
        assert img["width"] > 0, f"image not rendered: {img['src']}"
    if rel == "notebooks/04_results_trade":
        assert sum(i["figure"] for i in info["images"]) >= 3
    found = accessibility(page)
    report = ARTIFACTS / "axe" / f"{path.replace('/', '__')}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(found, indent=1), encoding="utf-8")
    assert not (found.get("serious") or found.get("critical")), found
    assert not hidden_columns(page), f"tables wider than their column at 1280 px: {hidden_columns(page)}"
    page.set_viewport_size({"width": 390, "height": 900})
    page.wait_for_timeout(150)  # the tables are measured again after a resize
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    narrow = hidden_columns(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert overflow <= 0, f"{overflow} px of horizontal scroll at 390 px"
    assert not narrow, f"tables wider than the screen at 390 px: {narrow}"


def hidden_columns(page) -> list:
    """Tables (and their captions) wider than the column that holds them."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('article table'))
      .map(t => [t.id, t.scrollWidth, (t.parentElement || t).clientWidth])
      .filter(([id, w, room]) => w > room + 1)""")


def accessibility(page) -> dict[str, list[str]]:
    """axe-core's violations of a page, by impact (it runs inside the page: no network)."""
    from axe_playwright_python.sync_playwright import Axe

    found: dict[str, set] = {}
    # No preloading of the style sheets: from file:// axe's requests for them are refused,
    # and their console errors would be counted against the next page.
    for violation in Axe().run(page, options={"preload": False}).response["violations"]:
        found.setdefault(violation["impact"], set()).add(violation["id"])
    return {k: sorted(v) for k, v in found.items()}


@pytest.mark.parametrize("lang,word", [("en", "Gorgan"), ("kk", "Горган"), ("ru", "Горган")])
def test_search_works_offline(visit, lang, word):
    v = visit(f"{editions.prefix(lang)}search", f"?q={word}")
    v.page.wait_for_selector("#search-results ul.search li", timeout=15000)
    assert v.page.locator("#search-results ul.search li").count() >= 2
    assert not v.blocked and not v.errors


@pytest.mark.parametrize("start,goal", [("en", "kk"), ("kk", "ru"), ("ru", "en")])
def test_the_language_switcher_lands_on_the_same_page(visit, start, goal):
    rel = "notebooks/04_results_trade"
    v = visit(f"{editions.prefix(start)}{rel}")
    v.page.locator("nav.kziran-languages").get_by_role(
        "link", name=editions.NAMES[goal]).click()
    v.page.wait_for_load_state("load")
    assert v.page.url == (built_html() / editions.prefix(goal) / f"{rel}.html").as_uri()
    assert v.page.evaluate("document.documentElement.lang") == editions.TAGS[goal]
    current = v.page.locator("nav.kziran-languages [aria-current=page]")
    assert current.inner_text() == editions.NAMES[goal]
    assert not v.blocked and not v.errors


def test_notebook_download_works_offline(visit):
    """The theme's download button opens the chapter's notebook, with its outputs, from
    the book's own files (from the file system a browser shows it; it saves it when the
    book is served over HTTP)."""
    v = visit("notebooks/01_introduction")
    v.page.click("button[aria-label='Download this page']")
    with v.context.expect_page() as info:
        v.page.click("a.btn-download-source-button")
    opened = info.value
    opened.wait_for_load_state("load")
    assert opened.url.endswith("/_sources/notebooks/01_introduction.ipynb")
    nb = json.loads(opened.inner_text("body"))
    assert nb["nbformat"] == 4
    assert any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    assert not v.blocked and not v.errors


def test_table_csv_download_works_offline(visit):
    """A table's CSV download is the table: pandas reads it with no options."""
    import pandas as pd

    v = visit("notebooks/04_results_trade")
    v.page.locator("details.sd-dropdown summary").first.click()  # the table opens on request
    link = v.page.locator("p.kziran-downloads a").first
    with v.page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("table-4.")
    df = pd.read_csv(download.path())
    assert len(df) >= 20 and df.columns[0] == "Year"
    assert not v.blocked and not v.errors


def test_glossary_marks_kazakh_and_russian(visit):
    v = visit("book/glossary")
    counts = v.page.evaluate(
        """() => ({kk: document.querySelectorAll("[lang=kk]").length,
                   ru: document.querySelectorAll("[lang=ru]").length,
                   tables: document.querySelectorAll("article table").length})""")
    assert counts["kk"] > 30 and counts["ru"] > 30 and counts["tables"] >= 5, counts


def test_claims_filters_work_by_keyboard(visit):
    v = visit("notebooks/claims")
    page = v.page
    cards = page.locator("div.kziran-claim")
    total = cards.count()

    def shown():
        return page.evaluate("() => Array.from(document.querySelectorAll('div.kziran-claim'))"
                             ".filter(c => !c.hidden).length")

    assert shown() == total > 30
    box = page.get_by_role("searchbox")
    box.focus()
    page.keyboard.type("Soleimani")
    assert 0 < shown() < total
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    contradicted = page.get_by_role("checkbox", name=re.compile(r"^contradicted \(\d+\)$"))
    contradicted.focus()
    page.keyboard.press("Space")
    count = int(re.search(r"\((\d+)\)", contradicted.locator("xpath=..").inner_text()).group(1))
    assert shown() == count
    assert page.get_by_role("status").inner_text() == f"{count} of {total} claims shown"
    assert not v.errors


@pytest.mark.parametrize("lang", editions.TRANSLATIONS)
def test_the_claims_filters_speak_the_page_language(visit, lang):
    from kziran import labels

    v = visit(f"{lang}/notebooks/claims")
    page = v.page
    legends = page.locator("form.kziran-claim-filters legend").all_inner_texts()
    assert legends == [labels.text(f"ui.filters.{k}", lang)
                       for k in ("verdict", "section", "kind")]
    word = labels.code("claims", "verdict", "contradicted", lang)
    box = page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(word)} \(\d+\)$"))
    box.check()
    count = int(re.search(r"\((\d+)\)", box.locator("xpath=..").inner_text()).group(1))
    total = page.locator("div.kziran-claim").count()
    assert page.get_by_role("status").inner_text() == labels.text(
        "ui.filters.shown", lang, shown=count, total=total)
    assert not v.errors


@pytest.mark.parametrize("width,theme", [(390, "dark"), (1280, "light")])
def test_the_claims_register_fits_the_screen(tab, visit, width, theme):
    tab.page.set_viewport_size({"width": width, "height": 900})  # a phone loads it narrow
    v = visit("notebooks/claims")
    v.page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    overflow = v.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    v.page.screenshot(path=str(SHOTS / f"claims-register-{width}px-{theme}.png"))
    found = accessibility(v.page)
    v.page.set_viewport_size({"width": 1280, "height": 900})
    assert overflow <= 0, f"{overflow} px of horizontal scroll at {width} px"
    assert not (found.get("serious") or found.get("critical")), found


@pytest.mark.parametrize("width", [390, 800])
def test_the_menu_and_the_page_contents_open_on_a_narrow_screen(tab, visit, width):
    tab.page.set_viewport_size({"width": width, "height": 900})
    try:
        v = visit("notebooks/04_results")
        for button, dialog in (("button.primary-toggle", "#pst-primary-sidebar-modal"),
                               ("button.secondary-toggle", "#pst-secondary-sidebar-modal")):
            visible = [b for b in v.page.locator(button).all() if b.is_visible()]
            assert visible, f"no visible {button} at {width} px"
            visible[0].click()
            v.page.wait_for_timeout(300)
            assert v.page.evaluate(f"document.querySelector('{dialog}').open"), (button, width)
            links = v.page.locator(f"{dialog} a").count()
            assert links >= 3, (dialog, links)
            v.page.keyboard.press("Escape")
            v.page.wait_for_timeout(200)
        assert not v.errors
    finally:
        tab.page.set_viewport_size({"width": 1280, "height": 900})


def test_a_tap_on_a_glued_number_shows_where_it_comes_from(tab, visit):
    tab.page.set_viewport_size({"width": 390, "height": 900})
    try:
        v = visit("notebooks/04_results")
        number = v.page.locator(".kziran-glued.kziran-computed").first
        note = number.locator(".kziran-note")
        assert not note.is_visible()
        number.scroll_into_view_if_needed()
        number.click()
        assert note.is_visible() and "cell" in note.inner_text()
        v.page.mouse.click(5, 400)
        assert not note.is_visible()
    finally:
        tab.page.set_viewport_size({"width": 1280, "height": 900})


def test_the_results_chapter_is_of_reading_length(visit):
    """Half of the chapter used to be a copy of the claims register: its claims are now a
    compact table, and the summary follows the last theme within a few screens."""
    v = visit("notebooks/04_results")
    height, gap = v.page.evaluate("""() => {
      const last = document.getElementById('results-pragmatism');
      const summary = Array.from(document.querySelectorAll('section h2'))
        .find(h => /Summary/.test(h.textContent));
      const end = last.getBoundingClientRect().bottom;
      return [document.documentElement.scrollHeight,
              summary.getBoundingClientRect().top - end]; }""")
    assert height < 0.75 * 45_900, height  # the chapter's height at 1280 px before
    assert gap < 3 * 900, gap


def test_a_figure_opens_full_size(visit):
    v = visit("notebooks/04_results_trade")
    link = v.page.locator("figure a.image-reference").first
    href = link.get_attribute("href")
    assert href.endswith(".png")
    with v.page.expect_navigation():
        link.click()
    assert v.page.url.endswith(href.split("/")[-1])

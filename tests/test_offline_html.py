"""The HTML edition is offline-first and accessible: checked on the built files.

- Nothing a page, a style sheet or a script loads comes from outside the book: no CDN for
  MathJax or thebe, no web fonts. Plain hyperlinks to sources are allowed.
- Every local link and image of every page resolves to a file of the build.
- Every page declares its language, has one title and headings without skipped levels;
  every image has a real alt text; the Kazakh and Russian passages carry their language.
- Chapters offer their notebook (.ipynb, with outputs) and a Binder launch link.

tests/test_browser.py checks the same pages again in a real browser with the network cut.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, built_html, toc_pages

from kziran import editions

pytestmark = pytest.mark.book  # reads the built book (see conftest.built_html)

# Link relations a browser fetches by itself (a rel="canonical" or a plain <a> is not fetched).
FETCHED_RELS = {"stylesheet", "preload", "prefetch", "modulepreload", "icon", "shortcut",
                "apple-touch-icon", "manifest", "preconnect", "dns-prefetch", "prerender"}
# Attributes through which a page loads something.
LOADING_ATTRS = {"script": ["src"], "img": ["src", "srcset"], "source": ["src", "srcset"],
                 "iframe": ["src"], "frame": ["src"], "embed": ["src"], "object": ["data"],
                 "video": ["src", "poster"], "audio": ["src"], "track": ["src"],
                 "input": ["src"], "image": ["href", "xlink:href"], "use": ["href", "xlink:href"]}
OUTSIDE = re.compile(r"^(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
# In scripts: a URL is a resource when it names a known CDN or a file a page would load.
CDN_HOSTS = re.compile(r"unpkg\.com|jsdelivr\.net|cdnjs\.|googleapis\.com|gstatic\.com|"
                       r"bootstrapcdn|jquery\.com|mathjax|fontawesome\.com/releases|"
                       r"typekit|polyfill\.io|mybinder\.org|thebe", re.IGNORECASE)
RESOURCE_EXT = re.compile(r"\.(m?js|css|woff2?|ttf|otf|eot|json|wasm|png|jpe?g|gif|svg|webp|ico)"
                          r"(\?[^\s'\"`]*)?$", re.IGNORECASE)
JS_URL = re.compile(r"""['"`]((?:https?:)?//[^'"`\s]+)['"`]""")
JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:'\"\\])//[^\n]*", re.DOTALL)
NOT_PAGES = ("_static", "_sources", "_downloads", "_images")


def page_parts(page: Path, html: Path) -> tuple[str, tuple[str, ...]]:
    """(language, path below the language's site) of a built page."""
    parts = page.relative_to(html).parts
    if parts[0] in editions.TRANSLATIONS:
        return parts[0], parts[1:]
    return editions.SOURCE, parts


def pages(html: Path) -> list[Path]:
    """The pages of the three sites (English at the top, Kazakh and Russian below it)."""
    return sorted(p for p in html.rglob("*.html")
                  if page_parts(p, html)[1][0] not in NOT_PAGES)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# -- finding references to outside resources ------------------------------------------

def outside_in_css(text: str) -> list[str]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return [u for m in CSS_URL.finditer(text) for u in m.groups() if u and OUTSIDE.match(u)]


def outside_in_js(text: str) -> list[str]:
    code = JS_COMMENT.sub("", text)
    return [u for u in JS_URL.findall(code)
            if CDN_HOSTS.search(u) or RESOURCE_EXT.search(urlsplit(u).path)]


def outside_in_page(doc: BeautifulSoup) -> list[str]:
    found = []
    for tag, attrs in LOADING_ATTRS.items():
        for el in doc.find_all(tag):
            for attr in attrs:
                for value in (el.get(attr) or "").split(","):
                    url = value.strip().split(" ")[0]
                    if url and OUTSIDE.match(url):
                        found.append(f"<{tag} {attr}={url}>")
    for el in doc.find_all("link"):
        rels = {r.lower() for r in (el.get("rel") or [])}
        if rels & FETCHED_RELS and OUTSIDE.match(el.get("href", "")):
            found.append(f"<link rel={' '.join(sorted(rels))} href={el['href']}>")
    for el in doc.find_all("meta", attrs={"http-equiv": re.compile("refresh", re.IGNORECASE)}):
        target = el.get("content", "").partition("url=")[2]
        if OUTSIDE.match(target.strip()):
            found.append(f"<meta refresh {target}>")
    for el in doc.find_all("script", src=False):
        found += [f"<script> {u}" for u in outside_in_js(el.get_text())]
    for el in doc.find_all("style"):
        found += [f"<style> {u}" for u in outside_in_css(el.get_text())]
    for el in doc.find_all(style=True):
        found += [f"style= {u}" for u in outside_in_css(el["style"])]
    return found


def test_the_scanners_find_outside_resources():
    """The checks below can fail: each kind of outside reference is caught."""
    page = BeautifulSoup("""<html><head>
      <script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>
      <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
      <link rel="canonical" href="https://example.org/book/">
      <script>const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"</script>
      <style>@import url("//fonts.example.org/a.css");</style></head>
      <body><img src="//example.org/x.png"><a href="https://example.org/source">source</a>
      <div style="background: url(https://example.org/bg.png)"></div></body></html>""",
                         "html.parser")
    found = outside_in_page(page)
    assert len(found) == 6, found
    assert not any("canonical" in f or "source" in f for f in found)
    assert outside_in_css("a{background:url('https://x.org/a.woff2')} /* url(http://no) */") \
        == ["https://x.org/a.woff2"]
    assert outside_in_js('load("https://unpkg.com/thebe/lib/index.js"); // "https://x/y.js"') \
        == ["https://unpkg.com/thebe/lib/index.js"]
    assert outside_in_js('warn("see https://example.org/docs/page.html")') == []


def test_pages_load_nothing_from_outside():
    html = built_html()
    problems = {str(p.relative_to(html)): found for p in pages(html)
                if (found := outside_in_page(soup(p)))}
    assert not problems, problems


def test_style_sheets_and_scripts_load_nothing_from_outside():
    html = built_html()
    files = [p for p in (html / "_static").rglob("*") if p.suffix in (".css", ".js")]
    files += [html / "searchindex.js"]
    assert len(files) > 10
    problems = {}
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        found = outside_in_css(text) if path.suffix == ".css" else outside_in_js(text)
        if found:
            problems[str(path.relative_to(html))] = found
    assert not problems, problems


def test_no_page_needs_mathjax_or_thebe():
    html = built_html()
    for page in pages(html):
        text = page.read_text(encoding="utf-8")
        assert 'class="math' not in text, f"{page.name}: mathematics would need MathJax"
        assert "thebe" not in text.lower().replace("sphinx-thebe.css", ""), \
            f"{page.name}: thebe is off but a page still refers to it"


def _local_target(page: Path, url: str, html: Path) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (page.parent / unquote(parts.path)).resolve()


def test_every_local_link_and_image_exists():
    html = built_html()
    missing = []
    for page in pages(html):
        doc = soup(page)
        refs = [(el.name, el.get("href")) for el in doc.find_all(["a", "link"], href=True)]
        refs += [(el.name, el.get("src")) for el in doc.find_all(["img", "script"], src=True)]
        for tag, url in refs:
            target = _local_target(page, url, html)
            if target is not None and not target.exists():
                missing.append(f"{page.relative_to(html)}: <{tag}> {url}")
    assert not missing, missing[:20]


# -- accessibility basics ---------------------------------------------------------------

def heading_levels(doc: BeautifulSoup) -> list[int]:
    article = doc.find("article") or doc
    return [int(h.name[1]) for h in article.find_all(re.compile(r"^h[1-6]$"))]


def skipped_levels(levels: list[int]) -> list[str]:
    problems = []
    if levels and levels[0] != 1:
        problems.append(f"first heading is h{levels[0]}")
    for a, b in itertools.pairwise(levels):
        if b > a + 1:
            problems.append(f"h{a} followed by h{b}")
    return problems


def test_heading_check_can_fail():
    assert skipped_levels([1, 2, 4]) == ["h2 followed by h4"]
    assert skipped_levels([2, 3]) == ["first heading is h2"]
    assert skipped_levels([1, 2, 3, 2, 2, 3]) == []


def test_every_page_declares_language_and_orders_headings():
    html = built_html()
    problems = {}
    for page in pages(html):
        doc = soup(page)
        found = []
        lang, rest = page_parts(page, html)
        if doc.html is None or doc.html.get("lang") != editions.TAGS[lang]:
            found.append(f"<html> has no lang=\"{editions.TAGS[lang]}\"")
        if "/".join(rest) not in ("genindex.html", "search.html", "index.html"):
            levels = heading_levels(doc)
            if levels.count(1) != 1:
                found.append(f"{levels.count(1)} h1 headings")
            found += skipped_levels(levels)
        if found:
            problems[str(page.relative_to(html))] = found
    assert not problems, problems


def test_every_image_has_a_real_alt_text():
    html = built_html()
    problems = []
    figures = 0
    for page in pages(html):
        for img in soup(page).find_all("img"):
            alt, src = (img.get("alt") or "").strip(), img.get("src", "")
            if not alt or alt == src or "_images/" in alt or alt.endswith(".png"):
                problems.append(f"{page.relative_to(html)}: {src} alt={alt[:60]!r}")
            if "_images/" in src:
                figures += 1
                if len(alt) < 40:
                    problems.append(f"{page.relative_to(html)}: figure alt too short: {alt!r}")
    assert figures >= 4
    assert not problems, problems


def test_kazakh_and_russian_passages_carry_their_language():
    html = built_html()
    index = soup(html / "book" / "index.html")
    kk = [el.get_text() for el in index.find_all(attrs={"lang": "kk"})]
    ru = [el.get_text() for el in index.find_all(attrs={"lang": "ru"})]
    assert any("Қазақша" in t for t in kk), kk
    assert any("По-русски" in t for t in ru), ru
    glossary = soup(html / "book" / "glossary.html")
    tables = glossary.find_all("table")
    assert len(tables) >= 5
    for lang, script in (("kk", "Ақтау"), ("ru", "Актау")):
        marked = [el.get_text() for el in glossary.find_all(attrs={"lang": lang})]
        assert len(marked) > 30 and any(script in t for t in marked), lang


# -- downloads and launch buttons ------------------------------------------------------

def test_chapters_offer_their_notebook_and_a_binder_launch():
    html = built_html()
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    branch = config["repository"]["branch"]
    assert (ROOT / "environment.yml").exists(), "Binder builds from environment.yml"
    post = ROOT / "postBuild"
    assert post.exists() and post.stat().st_mode & 0o111, "postBuild installs the package"
    chapters = sorted((html / "notebooks").glob("*.html"))
    assert len(chapters) == len([p for p in toc_pages() if p.startswith("notebooks/")])
    for page in chapters:
        doc = soup(page)
        dl = doc.select_one("a.btn-download-source-button")
        assert dl is not None and dl["href"].endswith(f"{page.stem}.ipynb"), page.name
        nb = nbformat.read(_local_target(page, dl["href"], html), as_version=4)
        nbformat.validate(nb)
        assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), page.name
        launch = [a["href"] for a in doc.find_all("a", href=True)
                  if a["href"].startswith("https://mybinder.org/")]
        assert launch == [(f"https://mybinder.org/v2/gh/{repo}/{branch}"
                          f"?urlpath=lab/tree/notebooks/{page.stem}.ipynb")], launch


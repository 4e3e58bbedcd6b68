"""The built HTML book (run after `make book` or the strict build in `make test`)."""

from __future__ import annotations

import re

import pytest
from conftest import built_html, chapter_pages, toc_pages

pytestmark = pytest.mark.book  # reads the built book (see conftest.built_html)

PAGES = toc_pages()


@pytest.mark.parametrize("page", PAGES)
def test_page_is_built_and_complete(page):
    html = (built_html() / f"{page}.html").read_text(encoding="utf-8")
    assert "<title>" in html
    for leftover in ("{glue", "{cite", "{numref", "Traceback (most recent call last)",
                     "system-message", "problematic"):
        assert leftover not in html, f"{page}: {leftover!r} left in the page"


@pytest.mark.parametrize("page", chapter_pages())
def test_section_pages_have_tables_and_numbered_titles(page):
    html = (built_html() / f"{page}.html").read_text(encoding="utf-8")
    assert html.count("<table") >= 1
    assert re.search(r'<span class="section-number">\d+(\.\d+)*\. </span>', html)


def test_local_search_index_exists():
    html = built_html()
    index = (html / "searchindex.js").read_text(encoding="utf-8")
    assert "gorgan" in index.lower()
    assert (html / "search.html").exists()


def test_bibliography_lists_sources_and_flags_unconfirmed():
    html = (built_html() / "book" / "references.html").read_text(encoding="utf-8")
    assert "Direction of Trade Statistics" in html
    assert "Details not confirmed" in html


def test_claims_register_has_a_card_per_claim():
    from kziran.data import load

    html = (built_html() / "notebooks" / "claims.html").read_text(encoding="utf-8")
    assert "kziran.js" in html
    assert html.count('class="kziran-claim ') == len(load("claims"))
    assert "Type in the box" not in html


def _doc(page):
    from bs4 import BeautifulSoup

    return BeautifulSoup((built_html() / f"{page}.html").read_text(encoding="utf-8"),
                         "html.parser").find("article")


@pytest.mark.parametrize("page", chapter_pages())
def test_every_table_and_figure_shows_how_it_was_made(page):
    import hashlib
    import subprocess

    from kziran.paths import PROJECT

    doc = _doc(page)
    numbered = doc.select("table[id^=tbl-]") + doc.select("figure[id^=fig-]")
    blocks = doc.select("details.provenance")
    assert len(blocks) == len(numbered) > 0
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=PROJECT.root,
                          capture_output=True, text=True, check=True).stdout.strip()
    for block in blocks:
        assert block.select_one("pre").get_text().strip(), "no code"
        assert head in block.get_text(), "not the commit of this build"
        assert block.select_one("a")["href"].endswith(".ipynb#cell-" + block.a.get_text())
        for item in block.select("li code"):
            digest = hashlib.sha256((PROJECT.root / item.get_text()).read_bytes()).hexdigest()
            assert digest[:12] in item.parent.get_text(), item.get_text()


@pytest.mark.parametrize("page", chapter_pages())
def test_glued_numbers_say_where_they_were_computed(page):
    doc = _doc(page)
    glued = doc.select("abbr.kziran-glued")
    bare = [s for s in doc.select(".pasted-text, .pasted-inline")
            if "kziran-glued" not in s.get("class", [])
            and not s.find_parent("abbr", class_="kziran-glued")]
    assert not bare, [s.get_text() for s in bare][:5]
    for abbr in glued:
        assert re.fullmatch(rf"\w+, computed in {page}\.ipynb, cell [\w-]+", abbr["title"]), \
            abbr["title"]


@pytest.mark.parametrize("page", chapter_pages())
def test_tables_have_human_headers_and_clean_downloads(page):
    import json
    from pathlib import Path

    doc = _doc(page)
    for th in doc.select("table th"):
        assert not re.search(r"[a-z]+_[a-z]+", th.get_text()), th.get_text()
    for line in doc.select("p.kziran-downloads"):
        csv, meta = [built_html() / Path(page).parent / a["href"] for a in line.find_all("a")]
        md = json.loads(meta.read_text(encoding="utf-8"))
        assert "executable edition, version" in md["dc:isPartOf"]
        assert md["dc:source"] and all(s["@id"].startswith("../data/") and s["dc:license"]
                                        for s in md["dc:source"])
        assert not re.search(r"\d\.\d{7,}", csv.read_text(encoding="utf-8-sig")), csv.name


def test_bibliography_links_are_the_sources_addresses():
    """URLs reach the page as written in data/sources.csv (no LaTeX escapes such as \\_)."""
    from kziran.data import load

    html = (built_html() / "book" / "references.html").read_text(encoding="utf-8")
    hrefs = set(re.findall(r'href="(https?://[^"]+)"', html))
    assert not [h for h in hrefs if "\\" in h]
    assert "\\$" not in html and "\\&amp;" not in html, "LaTeX escapes leaked into the page"
    urls = load("sources")["url"].dropna()
    tricky = [u for u in urls if "_" in u or "&" in u]
    assert tricky, "no address with _ or & to check"
    for url in tricky:
        assert url.replace("&", "&amp;") in html, url

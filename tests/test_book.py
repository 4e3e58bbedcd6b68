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
    assert re.search(r'<span class="section-number">\d+\. </span>', html)
    assert "Download this table as CSV" in html


def test_local_search_index_exists():
    html = built_html()
    index = (html / "searchindex.js").read_text(encoding="utf-8")
    assert "gorgan" in index.lower()
    assert (html / "search.html").exists()


def test_bibliography_lists_sources_and_flags_unconfirmed():
    html = (built_html() / "book" / "references.html").read_text(encoding="utf-8")
    assert "Direction of Trade Statistics" in html
    assert "Details not confirmed" in html


def test_claims_register_page_is_filterable():
    html = (built_html() / "notebooks" / "claims.html").read_text(encoding="utf-8")
    assert "kziran-filter" in html
    assert "kziran.js" in html
    assert html.count("<tr") > 30


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

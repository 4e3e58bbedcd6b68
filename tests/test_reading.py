"""The book reads like a book: words, never ids, keys or codes; every reference lands.

Checked on the built HTML of every page: no register id, BibTeX key, field name or brace
in what a reader sees (the code shown under "How this table was made" aside); every
citation in a table links to an entry of the bibliography that has its anchor; every
register link lands on an anchor of the page it names; every Kazakh or Russian run of text
carries its language; glued numbers say what they are; the landing page carries no
markup or build instructions. tests/test_browser.py checks the same pages at 1280 and
390 px in a real browser.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import built_html, toc_pages

pytestmark = pytest.mark.book

REGISTER_ID = re.compile(r"\b[CEATFP]\d{3}\b")
BIBTEX_KEY = re.compile(r"\b[A-Z][A-Za-z]+(?:19|20)\d\d[A-Z][A-Za-z0-9]+\b")
CODE = re.compile(r"\b[a-z]+_[a-z]+(?:_[a-z]+)*\b")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def page(rel: str) -> BeautifulSoup:
    return BeautifulSoup((built_html() / f"{rel}.html").read_text(encoding="utf-8"),
                         "html.parser")


def reader_text(doc: BeautifulSoup) -> str:
    """What a reader reads in the article: without code, provenance and citation boxes."""
    article = doc.select_one("article") or doc
    for hidden in article.select("pre, code, details.provenance, details.kziran-cite, "
                                 "script, style, .kziran-note"):
        hidden.decompose()
    text = " ".join(article.get_text(" ").split())
    return re.sub(r"\S*(?:://|www\.)\S*", " ", text)  # addresses are shown as written


@pytest.mark.parametrize("rel", toc_pages())
def test_no_ids_keys_or_codes_on_the_page(rel):
    text = reader_text(page(rel))
    assert not REGISTER_ID.findall(text), REGISTER_ID.findall(text)[:10]
    assert not BIBTEX_KEY.findall(text), BIBTEX_KEY.findall(text)[:10]
    if rel not in ("book/data", "book/rerun", "book/cite"):  # pages that document files
        assert not CODE.findall(text), CODE.findall(text)[:10]


@pytest.mark.parametrize("rel", toc_pages())
def test_no_braces_or_field_names_in_table_cells(rel):
    for cell in page(rel).select("article td, article th"):
        text = cell.get_text(" ")
        assert "{" not in text and "}" not in text, text
        assert not CODE.search(text), text


def _anchors(rel_page: str) -> set[str]:
    doc = page(rel_page)
    return {el["id"] for el in doc.find_all(id=True)}


@pytest.mark.parametrize("rel", toc_pages())
def test_every_internal_link_lands_on_an_anchor(rel):
    html = built_html()
    here = (html / f"{rel}.html").parent
    cache: dict[str, set[str]] = {}
    for a in page(rel).select("article a[href]"):
        href = a["href"]
        parts = urlsplit(href)
        if parts.scheme or not parts.fragment or not parts.path.endswith(".html"):
            continue
        target = (here / parts.path).resolve().relative_to(html.resolve()).with_suffix("")
        ids = cache.setdefault(str(target), _anchors(str(target)))
        assert parts.fragment in ids, f"{rel}: {a.get_text()!r} -> {href}"


def test_every_citation_in_a_table_reaches_a_bibliography_entry():
    refs = page("book/references")
    entries = {el["id"] for el in refs.select("div.citation[id], dl.citation [id], [id]")}
    seen = 0
    for rel in toc_pages():
        for a in page(rel).select("article td a[href*='references.html#']"):
            assert a["href"].split("#", 1)[1] in entries, (rel, a["href"])
            seen += 1
    assert seen >= 100, f"only {seen} citations in tables"


@pytest.mark.parametrize("rel", toc_pages())
def test_every_kazakh_or_russian_run_carries_its_language(rel):
    doc = page(rel)
    for text in doc.find_all(string=CYRILLIC):
        if text.parent.name in ("script", "style", "title"):
            continue
        el = text.parent
        while el is not None and el.name != "html" and not el.has_attr("lang"):
            el = el.parent
        assert el is not None and el.name != "html", f"{rel}: {str(text).strip()[:60]!r}"


def test_glued_numbers_say_what_they_are():
    doc = page("notebooks/04_results")
    computed = doc.select(".kziran-glued.kziran-computed")
    quoted = doc.select(".kziran-glued.kziran-quoted")
    assert computed and quoted
    for span in computed + quoted:
        note = doc.find(id=span["aria-describedby"])
        assert note is not None and span.get("tabindex") == "0"
    assert all("cell" in doc.find(id=s["aria-describedby"]).get_text() for s in computed)
    assert any("Exact value" in doc.find(id=s["aria-describedby"]).get_text() for s in computed)
    assert all("Stated in the article" in doc.find(id=s["aria-describedby"]).get_text()
               for s in quoted)


def test_every_figure_opens_full_size():
    for rel in toc_pages():
        for fig in page(rel).select("article figure"):
            link = fig.select_one("a.image-reference")
            assert link is not None and Path(link["href"]).suffix == ".png", rel


def test_the_landing_page_has_no_markup_or_build_instructions():
    text = reader_text(page("book/index"))
    assert "`" not in text and "make pdf" not in text and "make book" not in text
    pdf = built_html() / "kziran-edition.pdf"
    link = page("book/index").select_one("a.kziran-pdf-link")
    assert (link is not None) == pdf.exists()

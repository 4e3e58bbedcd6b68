"""The three sites of the edition: the same pages, linked to each other, numbers alike.

- Every page of the English site exists in Kazakh and Russian at the same relative path,
  declares its language, names all three versions of itself (hreflang, x-default: the
  English) and shows a switcher whose links land on the same page in each language.
- Every glued number of a page has the same value in every language, written in the
  language's conventions (Babel): 1,234.5 in English, 1 234,5 in Kazakh and Russian.
- The words the code writes (table captions, column headers, cite and provenance boxes)
  are those of the page's language; the landing page names the languages of the edition.
"""

from __future__ import annotations

import collections
import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import built_html

from kziran import editions, labels

pytestmark = pytest.mark.book

NOT_PAGES = ("_static", "_sources", "_downloads", "_images", "cite", *editions.TRANSLATIONS)


def english_pages(html: Path) -> list[str]:
    return sorted(str(p.relative_to(html)) for p in html.rglob("*.html")
                  if p.relative_to(html).parts[0] not in NOT_PAGES
                  and str(p.relative_to(html)) not in ("genindex.html", "search.html", "index.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site(html: Path, lang: str) -> Path:
    return html / editions.prefix(lang)


def test_every_page_exists_in_every_language():
    html = built_html()
    pages = english_pages(html)
    assert len(pages) > 15
    for lang in editions.TRANSLATIONS:
        missing = [p for p in pages if not (html / lang / p).exists()]
        assert not missing, f"not in {lang}: {missing}"


@pytest.mark.parametrize("lang", editions.LANGUAGES)
def test_pages_declare_their_language_and_link_their_other_versions(lang):
    html = built_html()
    base = site(html, lang)
    problems = []
    for rel in english_pages(html):
        doc = soup(base / rel)
        if doc.html.get("lang") != editions.TAGS[lang]:
            problems.append(f"{rel}: <html lang={doc.html.get('lang')!r}>")
        alternates = {a["hreflang"]: a["href"] for a in doc.find_all("link", rel="alternate")
                      if a.get("hreflang")}
        if set(alternates) != {*editions.TAGS.values(), "x-default"}:
            problems.append(f"{rel}: hreflang {sorted(alternates)}")
        for other, href in alternates.items():
            target = (base / rel).parent / href
            want = site(html, editions.SOURCE if other == "x-default" else other) / rel
            if target.resolve() != want.resolve():
                problems.append(f"{rel}: hreflang {other} -> {href}, not the same page")
        switcher = doc.find("nav", class_="kziran-languages")
        if switcher is None:
            problems.append(f"{rel}: no language switcher")
            continue
        links = {a["hreflang"]: a["href"] for a in switcher.find_all("a")}
        current = switcher.find(attrs={"aria-current": "page"})
        if current is None or current.get("lang") != editions.TAGS[lang]:
            problems.append(f"{rel}: the switcher does not mark {lang} as current")
        if set(links) != {editions.TAGS[o] for o in editions.LANGUAGES if o != lang}:
            problems.append(f"{rel}: switcher links {sorted(links)}")
        for other, href in links.items():
            if ((base / rel).parent / href).resolve() != (site(html, other) / rel).resolve():
                problems.append(f"{rel}: switcher {other} -> {href}")
    assert not problems, problems[:20]


def _glued_values(doc: BeautifulSoup, lang: str) -> collections.Counter:
    """The glued numbers of a page as values (their note gives the exact one)."""
    group = {"en": ","}.get(lang, "\u00a0")
    decimal = {"en": "."}.get(lang, ",")
    values = collections.Counter()
    for node in doc.select("span.kziran-glued"):
        note = node.find(class_="kziran-note")
        shown = node.get_text().removesuffix(note.get_text() if note else "").strip()
        number = shown.replace(group, "").replace("\u202f", "").replace(decimal, ".")
        number = number.replace("\u2212", "-")
        if re.fullmatch(r"[+-]?\d+(\.\d+)?", number):
            values[float(number)] += 1
        else:
            values[shown] += 1
    return values


def test_the_value_reader_can_fail():
    a = BeautifulSoup('<span class="kziran-glued">1,234.5</span>', "html.parser")
    b = BeautifulSoup('<span class="kziran-glued">1\u00a0234,5</span>', "html.parser")
    c = BeautifulSoup('<span class="kziran-glued">1\u00a0234,6</span>', "html.parser")
    assert _glued_values(a, "en") == _glued_values(b, "kk") != _glued_values(c, "kk")


@pytest.mark.parametrize("lang", editions.TRANSLATIONS)
def test_every_glued_number_has_the_english_value_in_the_language_conventions(lang):
    html = built_html()
    problems, seen = [], 0
    for rel in english_pages(html):
        english = _glued_values(soup(html / rel), "en")
        translated = _glued_values(soup(html / lang / rel), lang)
        seen += sum(english.values())
        if english != translated:
            problems.append(f"{rel}: only in English {dict(english - translated)}, only in "
                            f"{lang} {dict(translated - english)}")
    assert seen > 100
    assert not problems, problems[:10]


@pytest.mark.parametrize("lang", editions.TRANSLATIONS)
def test_tables_and_boxes_speak_the_page_language(lang):
    html = built_html()
    page = soup(html / lang / "notebooks" / "04_results_trade.html")
    captions = [c.get_text(" ", strip=True) for c in page.select("table caption")]
    assert any(labels.text("table.tbl-trade-kaz", lang) in c for c in captions), captions
    headers = {th.get_text(" ", strip=True) for th in page.select("table th")}
    assert labels.text("column.year", lang) in headers
    assert labels.text("column.year", "en") not in headers
    boxes = [s.get_text(strip=True) for s in page.select("details.kziran-cite > summary")]
    assert labels.text("cite.box.table", lang) in boxes
    made = [s.get_text(strip=True) for s in page.select("details.provenance > summary")]
    assert labels.text("provenance.summary.table", lang) in made


@pytest.mark.parametrize("lang", editions.LANGUAGES)
def test_the_landing_page_names_every_language_and_links_each_edition(lang):
    html = built_html()
    index = site(html, lang) / "book" / "index.html"
    note = soup(index).find("p", class_="kziran-languages-note")
    assert note is not None
    hrefs = [a["href"] for a in note.find_all("a")]
    assert len(hrefs) == len(editions.LANGUAGES)
    for href in hrefs:
        assert (index.parent / href).exists(), href
    under = [a for p in soup(index).select("p.kziran-edition-in") for a in p.find_all("a")]
    assert len(under) == len(editions.LANGUAGES) - 1  # under each abstract of another one
    for a in under:
        target = posixpath.normpath(posixpath.join("book", a["href"]))
        assert (site(html, lang) / target).exists(), a["href"]


@pytest.mark.parametrize("lang", editions.TRANSLATIONS)
def test_each_language_has_its_own_citations(lang):
    import json

    html = built_html()
    records = json.loads((html / lang / "citations.json").read_text(encoding="utf-8"))
    edition = next(r for r in records if r.get("custom", {}).get("kind") == "edition")
    assert edition["language"] == lang
    assert edition["title"] == labels.text("edition.title", lang)
    assert edition["URL"].endswith(f"/{lang}/")
    assert edition["edition"] == labels.text("edition.translation", lang)
    article = next(r for r in records if r.get("type") == "article-journal")
    english = json.loads((html / "citations.json").read_text(encoding="utf-8"))
    assert article == next(r for r in english if r.get("type") == "article-journal")

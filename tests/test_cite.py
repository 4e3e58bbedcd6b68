"""Citations: CITATION.cff is valid and agrees with the book; every citation, on the pages and
from the command line, is read back with an independent parser (bibtexparser, rispy,
citeproc-py, an HTML parser) and compared with CITATION.cff, which this module reads with
plain YAML, not through kziran.cite. Built-page tests skip when the book is not built."""

from __future__ import annotations

import csv
import html
import json
import re
import subprocess
from datetime import date
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
import yaml
from bibtexparser import middlewares
from conftest import PY, ROOT, built_html

CFF_PATH = ROOT / "CITATION.cff"
CFF = yaml.safe_load(CFF_PATH.read_text(encoding="utf-8"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
CFFCONVERT = ROOT / ".venv-cff" / "bin" / "cffconvert"

TITLE = CFF["title"]
VERSION = str(CFF["version"])
RELEASED = CFF["date-released"]
RELEASED = RELEASED if isinstance(RELEASED, date) else date.fromisoformat(str(RELEASED))
BASE = CFF["url"]
AUTHORS = [a["name"] if "name" in a else f"{a['family-names']}, {a['given-names']}"
           for a in CFF["authors"]]
ARTICLE = next(r for r in CFF["references"] if r["type"] == "article")
PAGES = [TOC["root"]] + [c["file"] for part in TOC["parts"] for c in part["chapters"]]


def cffconvert() -> str:
    if not CFFCONVERT.exists():
        pytest.skip("cffconvert is not installed; `make cite-check` creates .venv-cff")
    return str(CFFCONVERT)


def sources() -> list[dict]:
    with open(ROOT / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------ the metadata source


def test_citation_cff_is_valid_for_cffconvert():
    result = subprocess.run([cffconvert(), "--validate", "-i", str(CFF_PATH)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("breakage", [("  - MIT\n", "  - Not-a-licence\n"),
                                      ("date-released: ", "date-released: 25.11.")])
def test_cffconvert_rejects_a_broken_citation_file(tmp_path, breakage):
    text = CFF_PATH.read_text(encoding="utf-8")
    assert breakage[0] in text
    broken = tmp_path / "CITATION.cff"
    broken.write_text(text.replace(breakage[0], breakage[1], 1), encoding="utf-8")
    result = subprocess.run([cffconvert(), "--validate", "-i", str(broken)],
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0


def test_citation_cff_agrees_with_the_book_configuration_and_package():
    from kziran import __version__

    assert CFF["repository-code"] == CONFIG["repository"]["url"]
    assert TITLE == CONFIG["title"]
    assert AUTHORS == [CONFIG["author"]]
    assert VERSION == __version__
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{VERSION}"' in pyproject
    assert set(CFF["license"]) == {"CC-BY-4.0", "MIT"}  # the licences LICENSE states
    assert BASE.startswith("https://") and BASE.endswith("/")
    if ".github.io/" in BASE:  # the GitHub Pages site must be the repository's own
        owner, name = CFF["repository-code"].rstrip("/").split("/")[-2:]
        assert BASE == f"https://{owner}.github.io/{name}/"


def test_a_disagreeing_repository_url_is_reported():
    from kziran import cite

    meta = cite.load_meta()
    good = {"repository": {"url": CONFIG["repository"]["url"]}, "title": CONFIG["title"],
            "author": CONFIG["author"]}
    assert cite.config_problems(meta, good) == []
    bad = {**good, "repository": {"url": "https://github.com/someone/else"}}
    assert any("repository" in p for p in cite.config_problems(meta, bad))


def test_citation_cff_references_the_article_as_the_bibliography_does():
    row = next(r for r in sources() if r["role"] == "edited_article")
    authors = " and ".join(f"{a['family-names']}, {a['given-names']}" for a in ARTICLE["authors"])
    assert authors == row["author"]
    assert ARTICLE["title"] == row["title"]
    assert ARTICLE["journal"] == row["container"]
    assert ARTICLE["publisher"]["name"] == row["publisher"]
    assert str(ARTICLE["year"]) == str(int(float(row["year"])))
    assert ARTICLE["issue"] == row["number"]
    assert ARTICLE["url"] == row["url"]
    assert ARTICLE["languages"] == [row["language"]]
    for ref in CFF["references"]:  # every reference is a work of the bibliography
        assert any(r["title"] == ref["title"] and r["url"] == ref["url"] for r in sources())


def test_zenodo_json_is_derived_from_citation_cff():
    from kziran import cite

    text = (ROOT / ".zenodo.json").read_text(encoding="utf-8")
    assert text == cite.zenodo_text(), "stale: run `python -m kziran cite --write-zenodo`"
    zenodo = json.loads(text)
    assert zenodo["title"] == TITLE
    assert zenodo["version"] == VERSION
    assert zenodo["publication_date"] == RELEASED.isoformat()
    assert [c["name"] for c in zenodo["creators"]] == AUTHORS
    assert zenodo["license"] == CFF["license"][0].lower()
    assert zenodo["keywords"] == CFF["keywords"]
    assert zenodo["description"] == " ".join(CFF["abstract"].split())
    related = {r["identifier"]: r["relation"] for r in zenodo["related_identifiers"]}
    assert related[CFF["repository-code"]] == "isSupplementedBy"
    assert related[ARTICLE["url"]] == "references"


def test_zenodo_json_agrees_with_cffconvert():
    result = subprocess.run([cffconvert(), "-i", str(CFF_PATH), "-f", "zenodo"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    theirs = json.loads(result.stdout)
    ours = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    for key in ("title", "version", "publication_date", "creators", "keywords", "description"):
        assert ours[key] == theirs[key], key


# ------------------------------------------------------------ parsing what is generated


def bib_entry(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[
        middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()])
    assert not library.failed_blocks and len(library.entries) == 1, text
    entry = library.entries[0]
    decoded = bibtexparser.parse_string(
        text, append_middleware=[middlewares.LatexDecodingMiddleware()]).entries[0]
    return entry, {f.key: f.value for f in decoded.fields}


def bib_authors(entry) -> list[str]:
    out = []
    for name in entry["author"]:
        if not name.first and name.last[0].startswith("{"):  # a corporate author
            out.append(" ".join(name.last).strip("{}"))
        else:
            out.append(f"{' '.join(name.last)}, {' '.join(name.first)}")
    return out


def csl_render(data: list) -> str:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(data), formatter.plain)
    bibliography.register(Citation([CitationItem(data[0]["id"])]))
    return str(bibliography.bibliography()[0])


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def check_citation(formats: dict, kind: str, title: str, url: str, section: str = ""):
    """The four formats of one citation against CITATION.cff and what the page shows."""
    year = str(RELEASED.year)
    entry, fields = bib_entry(formats["bibtex"])
    assert entry.entry_type == ("book" if kind == "edition" else "incollection")
    assert bib_authors(entry) == AUTHORS
    assert fields["title"] == title and fields["year"] == year and fields["url"] == url
    assert VERSION in fields["note"]
    if kind != "edition":
        assert fields["booktitle"] == TITLE
        assert fields.get("chapter", "") == section

    (record,) = rispy.loads(formats["ris"])
    assert record["type_of_reference"] == ("EBOOK" if kind == "edition" else "ECHAP")
    assert record["authors"] == AUTHORS and record["title"] == title
    assert record["year"] == year and record["urls"] == [url]
    assert record["date"].startswith(RELEASED.strftime("%Y/%m/%d"))
    assert VERSION in record["edition"]
    if kind != "edition":
        assert record["secondary_title"] == TITLE

    data = json.loads(formats["csl"])
    assert len(data) == 1 and data[0]["id"] == entry.key
    assert data[0]["version"] == VERSION and data[0]["URL"] == url
    assert data[0]["issued"]["date-parts"][0] == [RELEASED.year, RELEASED.month, RELEASED.day]
    rendered = csl_render(data)
    assert title in rendered and year in rendered and url in rendered
    assert all(a in rendered for a in AUTHORS)

    apa = formats["apa"]
    assert apa.startswith(f"{AUTHORS[0]}") and f"({year})." in apa
    assert title.lower() in apa.lower() and TITLE.lower() in apa.lower()
    assert f"Version {VERSION}" in apa and apa.endswith(url)
    if section:
        assert f"Section {section}" in apa


# --------------------------------------------------------------------- the built pages


class Page(HTMLParser):
    """Meta tags, the title, the numbered tables and figures of a built page."""

    def __init__(self, text: str):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.numbered: dict[str, str] = {}  # id -> "table" or "figure"
        self._open: list[tuple[str, str]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or "").startswith("citation_"):
            self.meta.setdefault(a["name"], []).append(a.get("content", ""))
        if tag in ("table", "figure") and a.get("id"):
            self._open.append((tag, a["id"]))
        if tag == "span" and a.get("class") == "caption-number" and self._open:
            tag_, node_id = self._open[-1]
            self.numbered[node_id] = "table" if tag_ == "table" else "figure"

    def handle_endtag(self, tag):
        if tag in ("table", "figure") and self._open and self._open[-1][0] == tag:
            self._open.pop()


def blocks(text: str) -> dict[str, dict]:
    """The "Cite this ..." blocks of a page: label -> {summary, apa, bibtex, ris, csl}."""
    found = {}
    pattern = (r'<details class="kziran-cite" id="kziran-cite-([^"]+)" '
               r'data-cite-label="([^"]+)">(.*?)\n</details>')
    for anchor, label, body in re.findall(pattern, text, re.DOTALL):
        formats = {fmt: html.unescape(code) for fmt, code in
                   re.findall(r'<pre data-cite-format="(\w+)">(.*?)</pre>', body, re.DOTALL)}
        formats["apa"] = plain(re.search(r'<p class="kziran-cite-apa"[^>]*>(.*?)</p>',
                                         body, re.DOTALL).group(1))
        formats["summary"] = plain(re.search(r"<summary>(.*?)</summary>", body).group(1))
        formats["anchor"] = anchor
        found[html.unescape(label)] = formats
    return found


def heading(text: str) -> tuple[str, str]:
    """(section number, title) of the page's h1."""
    article = text[text.index('<article class="bd-article">'):]
    h1 = re.search(r"<h1>(.*?)</h1>", article, re.DOTALL).group(1)
    number = re.search(r'<span class="section-number">([\d.]+)\. </span>', h1)
    h1 = re.sub(r'<span class="section-number">.*?</span>|<a class="headerlink".*?</a>', "", h1)
    return (number.group(1) if number else ""), plain(h1).strip()


def page_url(page: str) -> str:
    return BASE if page == TOC["root"] else f"{BASE}{page}.html"


@pytest.mark.book
@pytest.mark.parametrize("page", PAGES)
def test_every_page_carries_its_citation_and_meta_tags(page):
    text = (built_html() / f"{page}.html").read_text(encoding="utf-8")
    number, title = heading(text)
    kind = "edition" if page == TOC["root"] else "section"
    if kind == "edition":
        assert title == TITLE
    cites = [b for b in blocks(text).values() if b["anchor"] == "page"]
    assert len(cites) == 1, f"{page}: one 'Cite this section' block expected"
    assert cites[0]["summary"] == f"Cite this {kind}"
    check_citation(cites[0], kind, title, page_url(page), number)

    meta = Page(text).meta
    assert meta["citation_title"] == [title]
    assert meta["citation_author"] == AUTHORS
    assert meta["citation_publication_date"] == [RELEASED.strftime("%Y/%m/%d")]
    assert meta["citation_public_url"] == [page_url(page)]
    assert meta.get("citation_inbook_title") == (None if kind == "edition" else [TITLE])


@pytest.mark.book
@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("notebooks/")])
def test_every_numbered_table_and_figure_has_its_citation(page):
    text = (built_html() / f"{page}.html").read_text(encoding="utf-8")
    numbered = Page(text).numbered
    cites = {label: b for label, b in blocks(text).items() if b["anchor"] != "page"}
    assert set(cites) == set(numbered), page
    for node_id, kind in numbered.items():
        # The number and caption as the page prints them, independently of kziran.cite.
        start = text.index(f'id="{node_id}"')
        number = re.search(r'<span class="caption-number">(?:Table|Fig\.) ([\d.]+) </span>',
                           text[start:]).group(1)
        caption = plain(re.search(r'<span class="caption-text">(.*?)</span>(?:<a|</p>)',
                                  text[start:], re.DOTALL).group(1))
        cited = cites[node_id]
        assert cited["summary"] == f"Cite this {kind}"
        noun = "Table" if kind == "table" else "Figure"
        title = json.loads(cited["csl"])[0]["title"]
        assert title.startswith(f"{noun} {number}: ")
        assert caption.startswith(title.split(": ", 1)[1]), (title, caption)
        check_citation(cited, kind, title, f"{BASE}{page}.html#{node_id}",
                       number.split(".")[0])
    if page.endswith("04_results"):
        assert {"table", "figure"} <= set(numbered.values())


@pytest.mark.book
def test_the_command_line_prints_what_the_pages_show(capsys):
    from kziran import cite

    seen = 0
    for page in PAGES:
        text = (built_html() / f"{page}.html").read_text(encoding="utf-8")
        for label, formats in blocks(text).items():
            target = {"page": page}.get(formats["anchor"], label)
            for fmt in cite.FORMATS:
                assert cite.main([target, "--format", fmt]) == 0
                assert capsys.readouterr().out.rstrip("\n") == formats[fmt], (target, fmt)
                seen += 1
    assert seen >= 4 * (len(PAGES) + 20)


@pytest.mark.book
@pytest.mark.parametrize("target", ["introduction", "methods", "discussion", "results",
                                    "conclusion"])
def test_cite_command_names_the_five_sections(target):
    text = (built_html() / "notebooks").glob(f"0*_{target}.html")
    page = next(text).read_text(encoding="utf-8")
    shown = next(b for b in blocks(page).values() if b["anchor"] == "page")
    result = subprocess.run([PY, "-m", "kziran", "cite", target, "--format", "bibtex"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == shown["bibtex"]


def test_cite_command_rejects_unknown_targets_and_formats():
    result = subprocess.run([PY, "-m", "kziran", "cite", "no-such-section"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "no section, table or figure" in result.stderr
    result = subprocess.run([PY, "-m", "kziran", "cite", "results", "--format", "mla"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode != 0


def test_sections_without_a_build_agree_with_the_build():
    from kziran import cite

    built = cite.load_registry()
    if built is None:
        pytest.skip("the book is not built; run `make book`")
    from_sources = cite.source_items()
    assert [i for i in built if i.kind in ("edition", "section")] == from_sources


def test_the_article_is_cited_from_citation_cff(capsys):
    from kziran import cite

    outputs = {}
    for fmt in cite.FORMATS:
        assert cite.main(["article", "--format", fmt]) == 0
        outputs[fmt] = capsys.readouterr().out.rstrip("\n")
    entry, fields = bib_entry(outputs["bibtex"])
    assert entry.entry_type == "article"
    assert bib_authors(entry) == [f"{a['family-names']}, {a['given-names']}"
                                  for a in ARTICLE["authors"]]
    assert fields["title"] == ARTICLE["title"] and fields["journal"] == ARTICLE["journal"]
    assert fields["year"] == str(ARTICLE["year"]) and fields["number"] == ARTICLE["issue"]
    (record,) = rispy.loads(outputs["ris"])
    assert record["type_of_reference"] == "JOUR" and record["urls"] == [ARTICLE["url"]]
    assert record["title"] == ARTICLE["title"]
    rendered = csl_render(json.loads(outputs["csl"]))
    assert "Isova" in rendered and ARTICLE["title"] in rendered
    assert outputs["apa"].startswith("Isova, L., & Apsattarova, G. (2020).")


def test_people_as_authors_are_formatted_in_every_format():
    """If the team lists people, each format names them properly (not only the collective)."""
    from kziran import cite

    meta = cite.load_meta()
    people = ({"family-names": "Doe", "given-names": "Jane Anne"},
              {"family-names": "Roe", "given-names": "Jean-Paul"},
              {"name": "Some Institute"})
    meta = cite.Meta(**{**meta.__dict__, "authors": people})
    item = cite.Item("section", "results", "Results", "notebooks/04_results", "4")
    entry, _ = bib_entry(cite.bibtex(item, meta))
    assert bib_authors(entry) == ["Doe, Jane Anne", "Roe, Jean-Paul", "Some Institute"]
    (record,) = rispy.loads(cite.ris(item, meta))
    assert record["authors"] == ["Doe, Jane Anne", "Roe, Jean-Paul", "Some Institute"]
    assert json.loads(cite.csl_json(item, meta))[0]["author"] == [
        {"family": "Doe", "given": "Jane Anne"}, {"family": "Roe", "given": "Jean-Paul"},
        {"literal": "Some Institute"}]
    assert cite.apa(item, meta).startswith("Doe, J. A., Roe, J.-P., & Some Institute. (")


@pytest.mark.book
def test_bibliography_flags_every_unconfirmed_work():
    text = (built_html() / "book" / "references.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" id="[^"]+" role="doc-biblioentry">(.*?)</div>',
                         text, re.DOTALL)
    unconfirmed = [r for r in sources() if r["confirmed"].lower() == "false"]
    assert len(entries) == len(sources())
    assert sum("Details not confirmed" in e for e in entries) == len(unconfirmed)


@pytest.mark.book
def test_citation_blocks_are_html_only_and_offline():
    css = (ROOT / "book" / "_static" / "cite.css").read_text(encoding="utf-8")
    assert "http" not in css and "@import" not in css
    text = (built_html() / "notebooks" / "04_results.html").read_text(encoding="utf-8")
    for block in re.findall(r'<details class="kziran-cite".*?\n</details>', text, re.DOTALL):
        assert "<script" not in block
        assert not re.search(r'(src|href)="https?://(?!kziran-edition)', block)
    assert "_static/cite.css" in text

"""Citations: one CSL-JSON record per item, rendered by the library made for each format.

CITATION.cff itself is validated by cffconvert, and .zenodo.json compared with cffconvert's
output, by `make cite-check` (a step of `make test`); these tests check what the book
derives from it.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys

import bibtexparser
import pytest
import rispy
import yaml
from conftest import ROOT, built_html, toc_pages

from kziran.data import load
from kziran.paths import PROJECT
from kziran.publishing import citations

META = citations.load_meta()


def sample() -> dict:
    return citations.record(META, "table", "tbl-x", "A table", "notebooks/04_results_trade",
                            "4.3", "tbl-x")


def test_every_format_says_the_same_thing():
    rec = sample()
    bib = bibtexparser.parse_string(citations.render(rec, "bibtex")).entries[0].fields_dict
    bib = {k: f.value for k, f in bib.items()}
    ris = rispy.loads(citations.render(rec, "ris"))[0]
    csl = json.loads(citations.render(rec, "csl"))[0]
    apa = citations.render(rec, "apa")
    title = "Table 4.3: A table"
    assert bib["title"].strip("{}") == ris["title"] == csl["title"] == title and title in apa
    assert bib["url"] == ris["urls"][0] == csl["URL"] == rec["URL"] and rec["URL"] in apa
    label = citations.version_label(META)  # "0.2.0 of 2 December 2026"
    assert META.version in label and str(META.released.year) in label
    assert label in bib["note"] and label in ris["edition"]
    assert csl["version"] == META.version and f"Version {label}" in apa
    assert csl["issued"]["date-parts"] == [[META.released.year, META.released.month,
                                           META.released.day]]
    assert rec["URL"].endswith("notebooks/04_results_trade.html#tbl-x")


def test_the_article_comes_from_citation_cff_as_the_bibliography_has_it():
    article = META.article
    source = load("sources").set_index("key").loc[article["id"]]
    assert article["title"] == source["title"] and article["URL"] == source["url"]
    assert [n["family"] for n in article["author"]] == ["Isova", "Apsattarova"]
    assert "Isova, L., & Apsattarova, G. (2020)" in citations.render(article, "apa")


def test_apa_in_html_escapes_and_links():
    rec = citations.record(META, "section", "x", "<script>alert(1)</script> & more",
                           "notebooks/x")
    text = citations.apa(rec, as_html=True)
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
    assert f'<a href="{html.escape(rec["URL"])}">' in text


def test_a_disagreeing_configuration_is_reported():
    config = yaml.safe_load(PROJECT.config.read_text(encoding="utf-8"))
    assert citations.config_problems(META, config) == []
    config["repository"]["url"] = "https://github.com/someone/else"
    assert "repository-code" in citations.config_problems(META, config)[0]


def _cite(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kziran", "cite", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)


def test_unknown_targets_and_formats_are_refused():
    assert _cite("nothing-here").returncode == 2
    assert _cite("results", "--format", "mla").returncode == 2


@pytest.mark.book
@pytest.mark.parametrize("page", toc_pages())
def test_every_page_carries_its_citation_and_meta_tags(page):
    text = (built_html() / f"{page}.html").read_text(encoding="utf-8")
    assert 'class="kziran-cite"' in text
    assert 'name="citation_title"' in text and 'name="citation_public_url"' in text


@pytest.mark.book
def test_every_numbered_table_and_figure_has_its_citation():
    records = citations.load_registry()
    for rec in records:
        kind, custom = citations.kind(rec), rec.get("custom", {})
        if kind not in ("table", "figure"):
            continue
        text = (built_html() / f"{custom['page']}.html").read_text(encoding="utf-8")
        assert f'data-cite-label="{custom["label"]}"' in text, custom["label"]
    kinds = [citations.kind(r) for r in records]
    assert kinds.count("table") >= 15 and kinds.count("figure") >= 4


@pytest.mark.book
def test_the_command_line_prints_what_the_pages_show():
    built_html()
    printed = _cite("tbl-trade-kaz", "--format", "bibtex").stdout.strip()
    page = (built_html() / "notebooks" / "04_results_trade.html").read_text(encoding="utf-8")
    shown = re.search(r'data-cite-label="tbl-trade-kaz".*?<pre data-cite-format="bibtex">'
                      r"(.*?)</pre>", page, re.DOTALL).group(1)
    assert printed == html.unescape(shown).strip()
    for target in ("introduction", "methods", "discussion", "results", "conclusion",
                   "claims", "concordance", "edition", "article"):
        assert _cite(target).returncode == 0, target


@pytest.mark.book
def test_the_list_ends_quietly_in_a_pipe():
    built_html()
    result = subprocess.run(f"{sys.executable} -m kziran cite --list | head -n 2", shell=True,
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr == "", result.stderr

"""Every page tells machines what it is, in schema.org JSON-LD, from the book's own data.

The JSON-LD of each built page is parsed and expanded with pyld through a document loader
that serves the contexts from files (tests/contexts/) and refuses the network; every
expanded type and property must be a term of the schema.org vocabulary. Then the types and
counts are checked against their sources of truth: the table of contents, CITATION.cff,
the data package and the two registers.
"""

from __future__ import annotations

import importlib.resources
import json
import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, built_html, toc_pages
from pyld import jsonld

from kziran import editions
from kziran.constants import RATING_SCALES
from kziran.data import PACKAGE, load

pytestmark = pytest.mark.book

SCHEMA = "http://schema.org/"
CONTEXTS = {"https://schema.org": ROOT / "tests" / "contexts" / "schema.org.jsonld",
            "https://schema.org/": ROOT / "tests" / "contexts" / "schema.org.jsonld"}


def offline_loader(url, options=None):
    path = CONTEXTS.get(url)
    if path is None:
        raise jsonld.JsonLdError(f"refusing to fetch {url}: offline", "loading document failed")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": json.loads(path.read_text(encoding="utf-8"))}


@cache
def vocabulary() -> frozenset[str]:
    text = (importlib.resources.files("rocrate") / "data" / "schema.jsonld").read_text()
    return frozenset(n["@id"].replace("schema:", SCHEMA) for n in json.loads(text)["@graph"]
                     if n["@id"].startswith("schema:"))


def blocks(rel: str) -> list[dict]:
    doc = BeautifulSoup((built_html() / f"{rel}.html").read_text(encoding="utf-8"),
                        "html.parser")
    return [json.loads(s.string) for s in doc.select('head script[type="application/ld+json"]')]


@cache
def graph(rel: str) -> list[dict]:
    found = blocks(rel)
    assert len(found) == 1, f"{rel}: {len(found)} JSON-LD blocks"
    return found[0]["@graph"]


def expanded(doc: dict) -> list:
    return jsonld.expand(doc, {"documentLoader": offline_loader})


def _terms(node, types: set, props: set) -> None:
    if isinstance(node, list):
        for n in node:
            _terms(n, types, props)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                types.update(value)
            elif not key.startswith("@"):
                props.add(key)
            _terms(value, types, props)


def of_type(rel: str, kind: str) -> list[dict]:
    return [n for n in graph(rel) if n["@type"] == kind]


def test_the_loader_refuses_the_network():
    with pytest.raises(jsonld.JsonLdError):
        expanded({"@context": "https://example.org/context.jsonld", "name": "x"})


@pytest.mark.parametrize("rel", toc_pages())
def test_every_page_expands_into_schema_org_terms_only(rel):
    types, props = set(), set()
    _terms(expanded(blocks(rel)[0]), types, props)
    unknown = sorted((types | props) - vocabulary())
    assert types and not unknown, unknown


@pytest.mark.parametrize("rel", toc_pages())
def test_every_page_says_what_it_is(rel):
    kinds = [n["@type"] for n in graph(rel)]
    root = toc_pages()[0]
    assert kinds.count("Book" if rel == root else "Chapter") == 1, kinds
    if rel != root:
        chapter = of_type(rel, "Chapter")[0]
        assert chapter["url"].endswith(f"{rel}.html")
        assert chapter["isPartOf"]["@type"] == "Book"
        art = chapter["isBasedOn"]
        assert art["@type"] == "ScholarlyArticle" and art["inLanguage"] == "kk"
        assert [a["familyName"] for a in art["author"]] == ["Isova", "Apsattarova"]
        assert {n["@language"] for n in art["name"]} == {"kk", "ru"}
        assert chapter["inLanguage"] == "en" and chapter["version"] and chapter["license"]


def test_the_book_lists_its_chapters_in_reading_order():
    book = of_type(toc_pages()[0], "Book")[0]
    parts = [p["url"].rsplit("/", 1)[-1] for p in book["hasPart"]]
    pages = [Path(rel).name + ".html" for rel in toc_pages()[1:]]
    assert parts == pages
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert book["version"] == cff["version"] and book["name"] == " ".join(cff["title"].split())
    assert book["datePublished"] == str(cff["date-released"])


def test_the_data_page_is_a_dataset_with_one_download_per_resource():
    dataset = of_type("book/data", "Dataset")[0]
    desc = PACKAGE.descriptor
    downloads = {Path(d["contentUrl"]).name: d for d in dataset["distribution"]}
    assert len(downloads) == len(desc["resources"])
    for res in desc["resources"]:
        d = downloads[Path(res["path"]).name]
        assert d["license"] == (res.get("licenses") or desc["licenses"])[0]["path"]
        assert (built_html() / "data" / Path(res["path"]).name).exists()
    assert "imf.org" in downloads[Path(PACKAGE.resource("dots")["path"]).name]["license"]
    first, last = (int(y) for y in dataset["temporalCoverage"].split("/"))
    assert first == int(load("dots")["year"].min()) and last >= 2025
    assert {p["name"] for p in dataset["spatialCoverage"]} == {"Kazakhstan", "Iran"}


@pytest.mark.parametrize("register,rel", [("claims", "notebooks/claims"),
                                          ("forecasts", "notebooks/06_after")])
def test_one_claim_review_per_claim_of_the_authors(register, rel):
    reg = load(register)
    if register == "claims":
        reg = reg[reg["claim_type"] != "editorial"]
    reviews = of_type(rel, "ClaimReview")
    assert len(reviews) == len(reg)
    html = (built_html() / f"{rel}.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'id="([^"]+)"', html))
    scale = RATING_SCALES[register]
    for review, row in zip(reviews, reg.itertuples(index=False)):
        assert review["claimReviewed"] == row.statement
        assert review["url"].split("#")[1] in ids
        rating = review["reviewRating"]
        assert rating.get("ratingValue") == scale.get(row.verdict)
        assert (rating["worstRating"], rating["bestRating"]) == (1, 3)
        assert review["itemReviewed"]["appearance"]["@type"] == "ScholarlyArticle"
    # the page states the scale machines read
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert all(f"{v} for “" in text for v in scale.values())


@pytest.mark.parametrize("lang", editions.TRANSLATIONS)
def test_each_language_names_its_original_and_the_original_its_translations(lang):
    root, chapter = toc_pages()[0], toc_pages()[2]
    book = of_type(root, "Book")[0]
    assert {t["inLanguage"]: t["@id"] for t in book["workTranslation"]}[lang] == \
        book["@id"] + f"{lang}/"
    translated = next(json.loads(s.string)["@graph"] for s in BeautifulSoup(
        (built_html() / lang / f"{chapter}.html").read_text(encoding="utf-8"),
        "html.parser").select('head script[type="application/ld+json"]'))
    node = next(n for n in translated if n["@type"] == "Chapter")
    english = of_type(chapter, "Chapter")[0]
    assert node["inLanguage"] == lang and node["@id"].endswith(f"/{lang}/{chapter}.html")
    assert node["translationOfWork"]["@id"] == english["@id"]
    assert node["name"] != english["name"]  # the title in the page's language
    assert english["workTranslation"][editions.TRANSLATIONS.index(lang)]["@id"] == node["@id"]

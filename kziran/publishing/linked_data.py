"""Sphinx extension: schema.org JSON-LD in the head of every page, for machines.

Nothing here is typed twice: every statement is made from what the book already holds.

- ``CITATION.cff`` (:func:`kziran.publishing.citations.load_meta`): the edition and the
  article it edits;
- the citation records of the build (:func:`kziran.publishing.cite_boxes.records`): the
  chapters and appendices in reading order, their numbers, titles and addresses;
- ``data/datapackage.json``: the data page's ``Dataset``, one ``DataDownload`` per resource
  with that resource's own licence (the IMF's terms for the IMF series);
- ``data/claims.csv`` and ``data/forecasts.csv``: one ``ClaimReview`` per claim of the
  authors and per expectation, whose ``url`` is its card on the page that holds it.

The landing page says ``Book``; every other page ``Chapter`` (``isPartOf`` the book,
``isBasedOn`` the article as a ``ScholarlyArticle``); the data page adds the ``Dataset``;
the pages that hold the claim and expectation cards add their reviews. The rating scale is
:data:`SCALES`; the claims page states it in words.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import editions, labels
from ..constants import RATING_SCALES
from ..data import Package, load
from ..paths import Layout
from ..presentation.references import anchor
from . import citations, cite_boxes

CONTEXT = "https://schema.org"
LICENCES = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
            "MIT": "https://opensource.org/licenses/MIT"}
SCALES = RATING_SCALES  # verdict -> rating value (the pages state the scale in words)
REVIEWS = {"claims": ("claim_id", "statement"), "forecasts": ("forecast_id", "statement")}
DATA_PAGE = "book/data"


# ------------------------------------------------------------------------ builders
def article(meta: citations.Meta) -> dict:
    """The edited article, as a ScholarlyArticle (its Kazakh and Russian titles apart)."""
    art = meta.article
    kazakh, _, russian = art["title"].partition(" [Russian title: ")
    names = [{"@value": kazakh.strip(), "@language": art.get("language", "kk")}]
    if russian:
        names.append({"@value": russian.rstrip("]").strip(), "@language": "ru"})
    issue = {"@type": "PublicationIssue", "issueNumber": art.get("issue", ""),
             "isPartOf": {"@type": "Periodical", "name": art["container-title"]}}
    return {"@type": "ScholarlyArticle", "@id": art["URL"], "url": art["URL"],
            "name": names, "inLanguage": art.get("language", "kk"),
            "author": [_person(a) for a in art["author"]],
            "datePublished": str(art["issued"]["date-parts"][0][0]), "isPartOf": issue}


def _person(name: dict) -> dict:
    if "literal" in name:
        return {"@type": "Organization", "name": name["literal"]}
    return {"@type": "Person", "familyName": name["family"], "givenName": name.get("given", ""),
            "name": f"{name.get('given', '')} {name['family']}".strip()}


def _common(meta: citations.Meta, lang: str) -> dict:
    return {"inLanguage": lang, "version": meta.version,
            "dateModified": meta.released.isoformat(),
            "license": [LICENCES[k] for k in ("CC-BY-4.0", "MIT")]}


def translations(meta: citations.Meta, lang: str, path: str = "") -> dict:
    """The edition, or one of its pages, in the other languages: the English original
    names its translations (workTranslation), a translation its original."""
    if lang == editions.SOURCE:
        return {"workTranslation": [
            {"@type": "CreativeWork", "@id": citations.site(meta, other) + path,
             "inLanguage": editions.TAGS[other]} for other in editions.TRANSLATIONS]}
    return {"translationOfWork": {"@type": "CreativeWork", "@id": meta.url + path,
                                  "inLanguage": editions.TAGS[editions.SOURCE]}}


def book(meta: citations.Meta, records: list[dict], lang: str) -> dict:
    """The edition: a Book whose parts are its chapters and appendices, in reading order."""
    parts = [_chapter_ref(r) for r in records if citations.kind(r) == "section"]
    home = citations.site(meta, lang)
    out = {"@type": "Book", "@id": home, "url": home,
           "name": citations.edition_title(meta, lang),
           "author": [_person(a) for a in meta.authors],
           "editor": [_person(a) for a in meta.authors],
           "datePublished": meta.released.isoformat(), "keywords": list(meta.keywords),
           "hasPart": parts, "isBasedOn": article(meta), **_common(meta, lang),
           **translations(meta, lang)}
    if meta.doi:
        out["identifier"] = f"https://doi.org/{meta.doi}"
    return out


def _chapter_ref(rec: dict) -> dict:
    ref = {"@type": "Chapter", "@id": rec["URL"], "name": rec["title"], "url": rec["URL"]}
    if rec.get("chapter-number"):
        ref["position"] = rec["chapter-number"]
    return ref


def chapter(meta: citations.Meta, rec: dict, lang: str) -> dict:
    out = _chapter_ref(rec)
    out.update({"isPartOf": {"@type": "Book", "@id": citations.site(meta, lang),
                             "name": citations.edition_title(meta, lang)},
                "isBasedOn": article(meta), "author": [_person(a) for a in meta.authors],
                **_common(meta, lang),
                **translations(meta, lang, rec["URL"].removeprefix(citations.site(meta, lang)))})
    return out


def dataset(meta: citations.Meta, pkg: Package, data_url: str, lang: str) -> dict:
    """The data package as a Dataset, one DataDownload per resource (its own licence)."""
    desc = pkg.descriptor
    downloads = []
    for name in pkg.names():
        res = pkg.resource(name)
        licence = (res.get("licenses") or desc["licenses"])[0]
        downloads.append({"@type": "DataDownload", "name": res.get("title", name),
                          "encodingFormat": "text/csv",
                          "contentUrl": data_url + Path(res["path"]).name,
                          "license": licence["path"]})
    variables = [{"@type": "PropertyValue", "name": f.get("title") or f["name"],
                  "description": f.get("description", "")}
                 for name in ("dots", "trade_reported") for f in pkg.fields(name)
                 if f["name"] in ("value", "flow", "direction", "unit")]
    first, last = coverage()
    return {"@type": "Dataset", "@id": data_url, "url": data_url, "name": desc["title"],
            "description": desc["description"], "version": desc.get("version", meta.version),
            "creator": [_person(a) for a in meta.authors],
            "license": desc["licenses"][0]["path"], "isAccessibleForFree": True,
            "temporalCoverage": f"{first}/{last}",
            "spatialCoverage": [{"@type": "Country", "name": "Kazakhstan", "identifier": "KZ"},
                                {"@type": "Country", "name": "Iran", "identifier": "IR"}],
            "variableMeasured": variables, "distribution": downloads,
            "isPartOf": {"@type": "Book", "@id": meta.url}, "inLanguage": lang}


def coverage() -> tuple[int, int]:
    """The first and last years the data speak of (IMF series, stated trade, events)."""
    years = [load("dots")["year"], load("trade_reported")["year"].dropna(),
             pd.to_datetime(load("events")["date_from"]).dt.year]
    return int(min(s.min() for s in years)), int(max(s.max() for s in years))


def reviews(meta: citations.Meta, register: str, card_url, lang: str) -> list[dict]:
    """One ClaimReview per claim of the authors (or expectation), its url the card."""
    id_column, statement = REVIEWS[register]
    scale = SCALES[register]
    claimed = {"@type": "Claim", "author": [_person(a) for a in meta.article["author"]],
               "appearance": {"@id": meta.article["URL"], "@type": "ScholarlyArticle"},
               "datePublished": str(meta.article["issued"]["date-parts"][0][0])}
    out = []
    for r in load(register).itertuples(index=False):
        verdict = r.verdict
        if register == "claims" and r.claim_type == "editorial":
            continue  # our own observation, not a claim of the authors
        rating = {"@type": "Rating",
                  "alternateName": labels.code(register, "verdict", verdict, lang),
                  "worstRating": min(scale.values()), "bestRating": max(scale.values())}
        if verdict in scale:
            rating["ratingValue"] = scale[verdict]
        if isinstance(r.brief, str) and r.brief:
            rating["ratingExplanation"] = r.brief
        rid = getattr(r, id_column)
        out.append({"@type": "ClaimReview", "url": card_url(anchor(rid)),
                    "claimReviewed": getattr(r, statement), "itemReviewed": dict(claimed),
                    "reviewRating": rating, "author": [_person(a) for a in meta.authors],
                    "datePublished": meta.released.isoformat(), "inLanguage": lang})
    return out


def script(graph: list[dict]) -> str:
    """The ``<script>`` element: JSON that cannot close the element it sits in."""
    body = json.dumps({"@context": CONTEXT, "@graph": graph}, ensure_ascii=False,
                      separators=(",", ":"))
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'\n<script type="application/ld+json">{body}</script>'


# ------------------------------------------------------------------------ extension
def _lang(app) -> str:
    return app.config.language or editions.SOURCE


def graph_of(app, pagename: str) -> list[dict]:
    meta = app.kziran_meta
    lang = _lang(app)
    recs = cite_boxes.records(app)
    page = next((r for r in recs if r.get("custom", {}).get("page") == pagename
                 and citations.kind(r) in ("edition", "section")), None)
    if page is None:
        return []
    if citations.kind(page) == "edition":
        return [book(meta, recs, lang)]
    out = [chapter(meta, page, lang)]
    if pagename == DATA_PAGE:
        out.append(dataset(meta, Package(Layout(app.srcdir)), meta.url + "data/", lang))
    labels_of = app.env.domaindata["std"]["anonlabels"]  # name -> (page, id)
    for register, holder in _review_pages(app).items():
        if holder == pagename:
            out += reviews(meta, register, lambda a: f"{page['URL']}#{labels_of[a][1]}", lang)
    return out


def _review_pages(app) -> dict[str, str]:
    """register -> the page that holds its cards (found once per build, by the anchor of
    its first row)."""
    if getattr(app, "kziran_review_pages", None) is None:
        labels_of = app.env.domaindata["std"]["anonlabels"]
        app.kziran_review_pages = {
            register: labels_of.get(anchor(load(register)[column].iloc[0]), ("",))[0]
            for register, (column, _) in REVIEWS.items()}
    return app.kziran_review_pages


def _forget(app, env) -> None:
    app.kziran_review_pages = None


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if getattr(app, "kziran_meta", None) is None or doctree is None:
        return
    graph = graph_of(app, pagename)
    if graph:
        context["metatags"] = context.get("metatags", "") + script(graph)


def setup(app):
    app.connect("env-updated", _forget)
    app.connect("html-page-context", _page_context, priority=600)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


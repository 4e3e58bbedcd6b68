"""Sphinx extension: the bibliography, as BibTeX generated from ``data/sources.csv``.

Before sphinxcontrib-bibtex reads ``_build/generated/references.bib`` (``config-inited``),
the file is written from the data package by pybtex, the one BibTeX writer of the
project (the cite boxes use it too). Its first line records a hash of its inputs, so an
unchanged bibliography costs one hash.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle

from .. import links
from ..data import Package, load
from ..files import atomic_write_text
from ..paths import Layout

_TYPES = {"article": "article", "book": "book", "incollection": "incollection",
          "report": "techreport", "online": "misc", "misc": "misc", "dataset": "misc",
          "legislation": "misc"}
# Used by the bibliography page to split the list (`:filter: keywords % "..."`).
_KEYWORDS = {"edited_article": "article edited", "cited_by_article": "article cited",
             "data_source": "data"}
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _text(value) -> str | None:
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    value = str(value).strip()
    return value or None


def entry(row, label: tuple[str, str] | None = None):
    """A source as a pybtex entry. ``label``: its name and year as the book cites it
    ("Kazinform", "2019a"): the year the entry and its citations print, and the label of
    the bibliography (field ``authoryear``); an entry without an author takes the name."""
    import pandas as pd
    from pybtex.database import Entry, Person

    kind = _TYPES[row.entry_type]
    if kind == "article" and _text(row.author) is None:
        kind = "misc"  # BibTeX styles require an author for @article
    fields: dict[str, str] = {"title": "{" + row.title + "}"}
    container = _text(row.container)
    if container:
        key = {"article": "journal", "incollection": "booktitle"}.get(kind, "howpublished")
        fields[key] = container
    publisher = _text(row.publisher)
    if publisher:
        fields["institution" if kind == "techreport" else "publisher"] = publisher
    if not pd.isna(row.year):
        fields["year"] = str(int(row.year))
    date = _text(row.date)
    if date and len(date) >= 7:
        fields["month"] = _MONTHS[int(date[5:7]) - 1]
    for name in ("volume", "number", "pages", "url", "urldate", "language"):
        value = _text(getattr(row, name))
        if value:
            fields[name] = value.replace("-", "--") if name == "pages" else value
    if "url" in fields:  # the one gate for links from the data (raises on anything else)
        fields["url"] = links.checked(fields["url"])
    note = _text(row.note) or ""
    if not row.confirmed:
        note = "Details not confirmed. " + note
    if note:
        fields["note"] = note.strip()
    fields["keywords"] = _KEYWORDS[row.role]
    persons = {}
    author = _text(row.author)
    if author:
        persons["author"] = [Person(a.strip()) for a in author.split(" and ")]
    if label is not None:
        who, year = label
        if year != "n.d.":
            fields["year"] = year
        fields["authoryear"] = f"{who} {year}"
        if not author and (_text(row.container) or _text(row.publisher)):
            persons["author"] = [Person("{" + who + "}")]
    return Entry(kind, fields=fields, persons=persons)


class AuthorYearLabels(BaseLabelStyle):
    """Bibliography labels as the chapters cite the works: "Isova and Apsattarova 2020"."""

    def format_labels(self, sorted_entries):
        for e in sorted_entries:
            yield e.fields.get("authoryear", e.key)


class AuthorYearStyle(PlainStyle):
    """pybtex's plain style, labelled and sorted by author and year."""

    default_label_style = "kziran-author-year"
    default_sorting_style = "author_year_title"


def bibliography(sources):
    from pybtex.database import BibliographyData

    from ..analysis.sources import author_year_labels

    labels = author_year_labels()
    data = BibliographyData()
    for row in sources.itertuples(index=False):
        data.entries[row.key] = entry(row, labels.get(row.key))
    return data


def to_bibtex(data, escape_dollar: bool = True) -> str:
    """BibTeX text of a pybtex BibliographyData, the one writer of the project.

    pybtex encodes LaTeX's special characters in every field except "$", which is escaped
    here for BibTeX readers (escape_dollar); sphinxcontrib-bibtex prints "\\$" literally,
    so the book's own bibliography keeps the plain sign. Addresses must stay as they are
    (an escaped "_" or "&" breaks the link), and so must the label the bibliography prints
    (``authoryear``): they are written verbatim.
    """
    import io

    from pybtex.database.output.bibtex import Writer

    class _Writer(Writer):
        def _write_field(self, stream, type, value):
            if type.lower() in ("url", "urldate", "doi", "authoryear"):
                stream.write(f",\n    {type} = {self.quote(value)}")
            else:  # latexcodec leaves "$" alone (it means math)
                if escape_dollar:
                    value = value.replace("$", r"\$")
                super()._write_field(stream, type, value)

    buf = io.StringIO()
    _Writer().write_stream(data, buf)
    return buf.getvalue()


def write(layout: Layout) -> Path:
    """Write the BibTeX file when its inputs changed (atomically)."""
    path = layout.generated / "references.bib"
    pkg = Package(layout)
    h = hashlib.sha256(pkg.path("sources").read_bytes())
    h.update(Path(__file__).read_bytes())
    stamp = f"% generated from data/sources.csv by kziran; inputs {h.hexdigest()}\n"
    if path.exists():
        with open(path, encoding="utf-8") as f:
            if f.readline() == stamp:
                return path
    text = to_bibtex(bibliography(load("sources", pkg)), escape_dollar=False)
    atomic_write_text(path, stamp + text)
    return path


def _write(app, config) -> None:
    write(Layout(app.srcdir))


def reference_style(lang: str = "en"):
    """sphinxcontrib-bibtex's author-year citations with round brackets, as the edition's
    own text cites (Isova and Apsattarova, 2020), joining names in the page's language."""
    from dataclasses import dataclass, field

    from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    from .. import labels

    def round_():
        return BracketStyle(left="(", right=")", sep="; ")

    def names():
        return PersonStyle(sep2=labels.text("ui.list_and", lang),
                           last_sep="," + labels.text("ui.list_and", lang),
                           other=labels.text("ui.et_al", lang))

    @dataclass
    class Style(AuthorYearReferenceStyle):
        bracket_textual: BracketStyle = field(default_factory=round_)
        bracket_parenthetical: BracketStyle = field(default_factory=round_)
        bracket_author: BracketStyle = field(default_factory=round_)
        bracket_year: BracketStyle = field(default_factory=round_)
        person: PersonStyle = field(default_factory=names)

    return Style


def _reference_style(app, config) -> None:
    from sphinxcontrib.bibtex.plugin import register_plugin

    lang = config.language or "en"
    name = f"kziran-author-year-{lang}"
    register_plugin("sphinxcontrib.bibtex.style.referencing", name, reference_style(lang),
                    force=True)
    config.bibtex_reference_style = name


def setup(app):
    from pybtex.plugin import register_plugin

    register_plugin("pybtex.style.labels", "kziran-author-year", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "kziran-author-year", AuthorYearStyle)
    app.connect("config-inited", _write, priority=100)
    app.connect("config-inited", _reference_style, priority=100)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

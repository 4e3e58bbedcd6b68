"""Numbered tables for the chapters, in every language of the edition, with a download.

A :class:`Table` is made from a *view* (a function of :mod:`.views` that returns a frame
for one language, its columns named by label keys) and a name, which is its label, the key
of its caption among the labels (``table.<name>``) and the name of its download. It is
displayed as a ``{table}`` directive around a Markdown table, so Sphinx numbers it, it can
be cross-referenced and it reaches the PDF edition too; it knows its column widths for
print and asks for a long table that may break across pages when it has many rows.

Its output also carries the table as data (``application/vnd.kziran.table+json``): per
language, the caption, the column titles and datatypes and the rows as published (source
values exact, computed values rounded as shown), and the data files it was made from. The
book's Sphinx extension writes each table's CSV download and its metadata from that
(:mod:`kziran.publishing.downloads`), with the number the build gives the table.

Text that comes from the data is data, never markup: every cell is escaped, so that
``<script>``, a role or a link in a register reaches the page as the characters typed.
Links are made only by the cell types the package writes (:class:`.references.Ref` and
:class:`.references.Cite`) and verdict labels by :class:`Badge`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import editions, formats, labels
from .references import Cite, Ref

MIME = "application/vnd.kziran.table+json"
ANCHOR = "anchor"
VARIANTS = "kziran_variants"  # output metadata: the languages of its variants
LANGUAGES = editions.LANGUAGES  # the languages every table is made in
MISSING = formats.MISSING
YEAR_KEYS = {"year", "first_year", "last_year"}
LONG_TABLE = 20  # rows: a longer table may break across pages in print
LONG_TEXT = 2500  # characters: a table holding more text than this may break too
SMALL_TYPE = 6  # columns: a table this wide is set in smaller type
_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def variants_metadata() -> dict:
    """The metadata of an output made in every language: which variants it carries (a
    build in one of them renders its variant instead of the standard mime type)."""
    return {VARIANTS: list(LANGUAGES[1:])}


def md_escape(text: str) -> str:
    """Text shown exactly as written: every ASCII punctuation mark escaped (CommonMark)."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


@dataclass(frozen=True)
class Badge:
    """A verdict shown as a coloured label with its word (never colour alone)."""

    text: str
    style: str  # a sphinx-design colour: success, warning, danger, dark, info

    def markdown(self) -> str:
        return f"{{bdg-{self.style}}}`{self.text.replace('`', chr(39))}`"

    def __str__(self) -> str:
        return self.text


MARKUP = (Ref, Cite, Badge)


def fmt(value, decimals: int | None, lang: str = "en") -> str:
    """A cell as text: numbers in the language's conventions with fixed decimals."""
    if isinstance(value, MARKUP):
        return str(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return labels.text("ui.yes" if value else "ui.no", lang)
    if isinstance(value, pd.Timestamp):
        return formats.date(value, "day", lang)
    if isinstance(value, str):
        return value
    if decimals == -1:  # a year
        return formats.year(value)
    if isinstance(value, (int, np.integer)):
        return formats.number(int(value), 0, lang)
    return formats.number(float(value), 0 if decimals is None else decimals, lang)


def column_widths(cells: list[list[str]], line: int = 85) -> list[int]:
    """Relative widths, in characters, for rows of text whose first row is the header.

    When everything fits on a line each column is as wide as its longest entry. Otherwise
    short columns (numbers, dates: no entry over 12 characters) keep that width and the
    text columns share the rest of the line by their average length."""
    ncols = len(cells[0])
    body = cells[1:] or cells
    longest = [max((len(r[i]) for r in body), default=1) for i in range(ncols)]
    head = [min(8, max((len(w) for w in cells[0][i].split()), default=1)) for i in range(ncols)]
    if sum(max(a, b) for a, b in zip(longest, head)) + 3 * ncols <= line:
        return [max(a, b, 1) + 3 for a, b in zip(longest, head)]
    mean = [sum(len(r[i]) for r in body) / len(body) for i in range(ncols)]
    text = [i for i in range(ncols) if longest[i] > 12]
    widths = [max(longest[i] if i not in text else 8, head[i], 3) for i in range(ncols)]
    room = max(line - sum(widths) - 3 * ncols, 6 * len(text))
    share = sum(mean[i] for i in text) or 1
    for i in text:
        widths[i] += round(room * mean[i] / share)
    return [w + 3 for w in widths]


def _datatype(series: pd.Series, key: str) -> str:
    if key in YEAR_KEYS:
        return "integer"
    values = series.dropna()
    if len(values) and all(isinstance(v, MARKUP) for v in values):
        return "string"
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "string"


class Table:
    """A numbered, captioned table made in every language, with a CSV download.

    ``view(*args, **view_options, lang=...)`` returns the frame of one language, its columns (and index)
    named by keys of ``column.*`` labels. ``decimals``: one number for every numeric column,
    or {column key: decimals}; year columns print as plain integers. ``exact``: columns of
    source values, published exactly as in the data (the others rounded as displayed).
    A view's column ``anchor``, if it has one, is not shown: it gives each row's anchor
    label (rows that links land on). ``collapsed``: the table opens on request (its download has every row).
    """

    def __init__(self, view: Callable[..., pd.DataFrame], *args, name: str,
                 decimals: dict | int | None = 1, index: bool = True, exact: tuple = (),
                 collapsed: bool = False, **view_options):
        self.name, self.decimals, self.index, self.exact = name, decimals, index, exact
        self.collapsed = collapsed
        self.frames = {lang: view(*args, **view_options, lang=lang) for lang in LANGUAGES}
        self.anchors = None
        for lang, frame in self.frames.items():  # a view's `anchor` column: rows' targets
            if ANCHOR in frame.columns:
                self.anchors = list(frame[ANCHOR])
                self.frames[lang] = frame.drop(columns=ANCHOR)
        self.data = self._data_files()

    def shown(self, lang: str) -> pd.DataFrame:
        frame = self.frames[lang]
        return frame.reset_index() if self.index else frame

    def caption(self, lang: str) -> str:
        return labels.text(f"table.{self.name}", lang)

    def _decimals(self, key) -> int | None:
        if str(key) in YEAR_KEYS:
            return -1
        if isinstance(self.decimals, dict):
            return self.decimals.get(key, 1)
        return self.decimals

    def titles(self, lang: str) -> list[str]:
        return [labels.text(f"column.{k}", lang) for k in self.shown(lang).columns]

    def cells(self, lang: str) -> list[list[str]]:
        """The header and the rows as they are displayed (unescaped)."""
        df = self.shown(lang)
        rows = [self.titles(lang)]
        rows += [[fmt(v, self._decimals(c), lang) for c, v in zip(df.columns, r)]
                 for r in df.itertuples(index=False)]
        return rows

    def published_rows(self, lang: str) -> list[list]:
        """The rows as the download has them: source values exact, computed values rounded
        as displayed, links and labels as their text."""
        df = self.shown(lang)
        out = []
        for r in df.itertuples(index=False):
            row = []
            for key, v in zip(df.columns, r):
                if isinstance(v, MARKUP):
                    v = str(v)
                elif v is None or (not isinstance(v, str) and pd.isna(v)):
                    v = None
                elif isinstance(v, (bool, np.bool_)):
                    v = bool(v)
                elif isinstance(v, pd.Timestamp):
                    v = f"{v:%Y-%m-%d}"
                elif isinstance(v, (int, np.integer)):
                    v = int(v)
                elif isinstance(v, (float, np.floating)):
                    places = self._decimals(key)
                    v = float(v) if key in self.exact else round(float(v), max(places or 0, 0))
                    if key not in self.exact and places in (None, -1, 0):
                        v = int(v)
                row.append(v)
            out.append(row)
        return out

    def _data_files(self) -> list[str]:
        """The data package's resources the view read (the executor's note of this cell)."""
        from ..data import PACKAGE

        return sorted(PACKAGE.read_since_mark)

    def markdown(self, lang: str) -> str:
        cells = self.cells(lang)
        df = self.shown(lang)
        numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
                   for c in df.columns]

        def shown(value, text):
            return value.markdown() if isinstance(value, MARKUP) else md_escape(text)

        lines = ["| " + " | ".join(md_escape(c) for c in cells[0]) + " |",
                 "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"]
        for i, (values, texts) in enumerate(zip(df.itertuples(index=False), cells[1:])):
            row = [shown(v, t) for v, t in zip(values, texts)]
            if self.anchors:
                row[0] = f"{{kziran-target}}`{self.anchors[i]}`" + row[0]
            lines.append("| " + " | ".join(row) + " |")
        classes = []
        if len(cells) - 1 > LONG_TABLE or sum(len(t) for row in cells for t in row) > LONG_TEXT:
            classes.append("longtable")
        if len(cells[0]) >= SMALL_TYPE:
            classes.append("kziran-small")
        options = [f":name: {self.name}",
                   f":widths: {' '.join(str(w) for w in column_widths(cells))}"]
        if classes:
            options.append(f":class: {' '.join(classes)}")
        table = "\n".join([f":::{{table}} {md_escape(self.caption(lang))}", *options, "",
                           *lines, ":::"])
        if self.collapsed:
            label = labels.text("ui.show_table", lang, rows=len(cells) - 1)
            table = f"::::{{dropdown}} {md_escape(label)}\n{table}\n::::"
        return table + "\n"

    def payload(self) -> dict:
        langs = {}
        for lang in LANGUAGES:
            df = self.shown(lang)
            langs[lang] = {
                "caption": self.caption(lang),
                "columns": [{"title": t, "datatype": _datatype(df[k], str(k))}
                            for t, k in zip(self.titles(lang), df.columns)],
                "rows": self.published_rows(lang),
            }
        return {"name": self.name, "data": self.data, "languages": langs}

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/markdown": self.markdown(LANGUAGES[0]), MIME: self.payload()}
        for lang in LANGUAGES[1:]:
            bundle[f"text/vnd.kziran.{lang}+markdown"] = self.markdown(lang)
        return bundle, variants_metadata()

    def __repr__(self) -> str:
        return f"Table {self.name}: {self.caption(LANGUAGES[0])} ({len(self.frames[LANGUAGES[0]])} rows)"

"""Numbered tables for the chapters: MyST Markdown for every builder, with a CSV download.

A :class:`Table` is displayed as a ``{table}`` directive around a Markdown table, so
Sphinx numbers it, it can be cross-referenced and it reaches the PDF edition too. It
knows its column widths for print (``:widths:``, from its content) and asks for a long
table that may break across pages when it has many rows. Under it, a link downloads it
as CSV (a ``data:`` address, so nothing is fetched).

Text that comes from the data is data, never markup: every cell is escaped, so that
``<script>``, a role or a link in a register reaches the page as the characters typed.
Only columns named in ``markup`` (links the package itself writes) are left as Markdown.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

MISSING = "–"
YEAR_COLUMNS = {"year", "first year", "last year"}
LONG_TABLE = 20  # rows: a longer table may break across pages in print
SMALL_TYPE = 7  # columns: a table this wide is set in smaller type
_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def md_escape(text: str) -> str:
    """Text shown exactly as written: every ASCII punctuation mark escaped (CommonMark)."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def fmt(value, decimals: int | None) -> str:
    """A cell as text: numbers with thousands separators and fixed decimals."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, str):
        return value
    if decimals == -1:  # a year
        return str(int(value))
    if isinstance(value, (int, np.integer)):
        return f"{value:,d}"
    return f"{value:,.{0 if decimals is None else decimals}f}"


def column_widths(cells: list[list[str]], line: int = 85) -> list[int]:
    """Relative widths, in characters, for rows of text whose first row is the header.

    When everything fits on a line each column is as wide as its longest entry. Otherwise
    short columns (numbers, ids, dates: no entry over 12 characters) keep that width and
    the text columns share the rest of the line by their average length."""
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


@dataclass
class Table:
    """A numbered, captioned table with a CSV download.

    ``decimals``: one number for every numeric column, or {column: decimals}; columns
    named like a year print as plain integers. ``exact``: columns that are source values,
    written to the CSV exactly as in the data (the others are rounded as displayed).
    All text is escaped: a cell is data, never markup.
    """

    frame: pd.DataFrame
    name: str
    caption: str
    decimals: dict | int | None = 1
    index: bool = True
    exact: tuple = ()

    @property
    def shown(self) -> pd.DataFrame:
        return self.frame.reset_index() if self.index else self.frame

    def _decimals(self, column) -> int | None:
        if str(column).lower() in YEAR_COLUMNS:
            return -1
        if isinstance(self.decimals, dict):
            return self.decimals.get(column, 1)
        return self.decimals

    def cells(self) -> list[list[str]]:
        """The header and the rows as they are displayed (unescaped)."""
        df = self.shown
        rows = [[str(c) for c in df.columns]]
        rows += [[fmt(v, self._decimals(c)) for c, v in zip(df.columns, r)]
                 for r in df.itertuples(index=False)]
        return rows

    def provenance(self) -> list[str]:
        """Comment lines for the CSV: what the table is, its data and their licences."""
        from .. import __version__
        from ..data import PACKAGE

        edition = (f"# From the Kazakhstan–Iran executable edition, version {__version__}; "
                   "computed values rounded as shown, source values as in the data.")
        lines = [f"# {self.caption}", edition]
        for name in sorted(PACKAGE.read_since_mark):
            title = PACKAGE.resource(name).get("title", name)
            lines.append(f"# Data: {PACKAGE.where(name)} ({title}); "
                         f"licence {PACKAGE.licence(name)}")
        return lines

    def csv(self) -> str:
        """The displayed columns; source values exact, computed values rounded; a header
        of comment lines names the table, the edition, the data and their licences."""
        df = self.shown.copy()
        for col in df.columns:
            if col in self.exact or not pd.api.types.is_float_dtype(df[col]):
                continue
            places = self._decimals(col)
            df[col] = df[col].round(0 if places in (None, -1) else places)
            if places in (None, -1, 0):
                df[col] = df[col].astype("Int64")
        header = "".join(f"{line}\n" for line in self.provenance())
        return header + df.to_csv(index=False, lineterminator="\n")

    def _repr_markdown_(self) -> str:
        cells = self.cells()
        df = self.shown
        numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
                   for c in df.columns]
        lines = ["| " + " | ".join(md_escape(c) for c in cells[0]) + " |",
                 "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"]
        lines += ["| " + " | ".join(md_escape(v) for v in r) + " |" for r in cells[1:]]
        classes = []
        if len(cells) - 1 > LONG_TABLE:
            classes.append("longtable")
        if len(cells[0]) >= SMALL_TYPE:
            classes.append("kziran-small")
        options = [f":name: {self.name}",
                   f":widths: {' '.join(str(w) for w in column_widths(cells))}"]
        if classes:
            options.append(f":class: {' '.join(classes)}")
        return "\n".join([f":::{{table}} {md_escape(self.caption)}", *options, "", *lines,
                          ":::", "", self._csv_link(), ""])

    def _csv_link(self) -> str:
        payload = base64.b64encode(self.csv().encode("utf-8")).decode("ascii")
        return (f'<a class="kziran-csv" download="{self.name}.csv" '
                f'href="data:text/csv;charset=utf-8;base64,{payload}">'
                "Download this table as CSV</a>")

    def __repr__(self) -> str:
        return f"Table {self.name}: {self.caption} ({len(self.frame)} rows)"

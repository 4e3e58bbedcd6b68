"""What the section notebooks call: numbered tables with CSV downloads, glued numbers, figures.

Tables are emitted as MyST Markdown (a ``{table}`` directive around a Markdown table), so
Sphinx numbers them, they can be cross-referenced and they reach the PDF edition too.
Each table carries a link that downloads it as CSV (a data: URI, so nothing is fetched).
Numbers for the prose are glued as plain Python numbers (``{glue:text}`` in the text).
Figures are PNG images whose text chunk "Description" holds an alt text computed from
the data; the book's Sphinx extension copies it into the page's ``alt`` attribute.
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass

import pandas as pd

MISSING = "–"
YEAR = "year"  # a decimals value meaning: print as a plain integer, no separators
YEAR_COLUMNS = {"year", "first_year", "last_year"}


def _cell(value, decimals: int | None) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if decimals == YEAR:
        return str(int(value)) if not isinstance(value, str) else value
    if isinstance(value, int) or (hasattr(value, "is_integer") and decimals == 0):
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:,.{1 if decimals is None else decimals}f}"
    text = str(value)
    return text.replace("|", "\\|").replace("\n", " ")


@dataclass
class Table:
    """A numbered, captioned table that renders in HTML and PDF, with a CSV download."""

    frame: pd.DataFrame
    name: str
    caption: str
    decimals: dict | int | None = 1
    index: bool = True
    classes: str | None = None
    html_twin: bool = False  # also emit text/html (needed by a cross-page {glue})

    def _decimals(self, column) -> int | None:
        if str(column).lower() in YEAR_COLUMNS:
            return YEAR
        if isinstance(self.decimals, dict):
            return self.decimals.get(column, 1)
        return self.decimals

    def csv(self) -> str:
        return self.frame.to_csv(index=self.index, lineterminator="\n")

    def _repr_markdown_(self) -> str:
        df = self.frame.reset_index() if self.index else self.frame
        header = "| " + " | ".join(str(c) for c in df.columns) + " |"
        rule = "|" + "|".join(
            "---:" if pd.api.types.is_numeric_dtype(df[c]) else ":---" for c in df.columns
        ) + "|"
        rows = [
            "| " + " | ".join(_cell(v, self._decimals(c)) for c, v in zip(df.columns, r)) + " |"
            for r in df.itertuples(index=False)
        ]
        link = self._csv_link()
        return "\n".join(
            [f":::{{table}} {self.caption}", f":name: {self.name}",
             *([f":class: {self.classes}"] if self.classes else []), "", header, rule, *rows,
             ":::", "", link, ""]
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = {"text/markdown": self._repr_markdown_()}
        if self.html_twin:
            bundle["text/html"] = self.html()
        return bundle

    def html(self) -> str:
        """HTML twin of the Markdown table, used where Markdown cannot be rendered
        (a table pasted into another page with ``{glue}`` and ``:doc:``)."""
        df = self.frame.reset_index() if self.index else self.frame
        shown = pd.DataFrame({c: [_cell(v, self._decimals(c)).replace("\\|", "|")
                                  for v in df[c]] for c in df.columns})
        table = shown.to_html(index=False, border=0, escape=True,
                              classes=["table", "kziran-table", *(self.classes or "").split()])
        caption = html.escape(self.caption)
        table = table.replace(">\n  <thead>", f">\n  <caption>{caption}</caption>\n  <thead>", 1)
        return table + "\n" + self._csv_link()

    def _csv_link(self) -> str:
        payload = base64.b64encode(self.csv().encode("utf-8")).decode("ascii")
        return (
            f'<a class="kziran-csv" download="{self.name}.csv" '
            f'href="data:text/csv;charset=utf-8;base64,{payload}">'
            f"Download this table as CSV</a>"
        )

    def __repr__(self) -> str:
        return f"Table {self.name}: {self.caption} ({len(self.frame)} rows)"


def glue_table(key: str, table: Table) -> None:
    """Glue a table so that another page can paste it (``{glue}`` with ``:doc:``).

    Returns nothing: a cell ending with this call displays nothing, so the notebook does
    not carry the table a second time as the cell's result."""
    from myst_nb import glue

    table.html_twin = True
    glue(key, table, display=False)


def number(value, decimals: int = 0):
    """A plain Python number for glue (numpy scalars render badly in {glue:text})."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("refusing to glue a missing value")
    value = float(value)
    if decimals == 0:
        return round(value)
    return round(value, decimals)


def glue_numbers(**values) -> None:
    """Glue several plain numbers at once, without displaying them."""
    from myst_nb import glue

    for key, value in values.items():
        glue(key, value, display=False)


def glue_text(key: str, text: str) -> None:
    """Glue a short computed phrase (a date, a name) for {glue:md} in the prose."""
    from IPython.display import Markdown
    from myst_nb import glue

    glue(key, Markdown(text), display=False)


class Figure:
    """A deterministic PNG of a matplotlib figure with its alt text in the PNG itself."""

    def __init__(self, fig, alt: str, dpi: int = 144):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white", bbox_inches="tight",
                    metadata={"Software": None, "Description": alt})
        self.png = buf.getvalue()
        self.alt = alt
        import matplotlib.pyplot as plt

        plt.close(fig)

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"Figure: {self.alt}"


def glue_figure(key: str, fig, alt: str) -> None:
    """Glue a figure for ``{glue:figure}``. Returns nothing, like glue_table: the PNG is
    stored once in the notebook, not again as the cell's result."""
    from myst_nb import glue

    glue(key, Figure(fig, alt), display=False)


def setup() -> None:
    """Call once at the top of a notebook: plotting style and display options."""
    from .plots import use_style

    use_style()
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.width", 120)

"""Links to the rows of the registers, named as readers name them.

Every row of the registers has an anchor on the page that lists it (``event-e004`` on the
registers appendix, ``claim-c004`` on the claims register) and a name: its short title,
or for a claim "claim 4". Prose, claim cards and tables link to a row under that name and
never show its id. A piece of evidence that is a source is a citation (author and year,
linking to the bibliography); one that is a cell of the IMF series links to its table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .. import labels
from ..analysis.references import DOTS_CELL, REGISTER_ID
from ..analysis.sources import author_year
from ..data import load

# id letter -> (resource, id column, anchor prefix)
REGISTERS = {"E": ("events", "event_id", "event"), "A": ("agreements", "agreement_id", "agreement"),
             "F": ("figures", "figure_id", "fact"), "T": ("trade_reported", "figure_id", "stated"),
             "C": ("claims", "claim_id", "claim"), "P": ("forecasts", "forecast_id", "forecast")}
_ID = re.compile(r"\b([CEATFP])(\d{3})\b")
_RANGE = re.compile(r"\b([CEATFP])(\d{3})\s*[–-]\s*(?:\1)?(\d{3})\b")


@dataclass(frozen=True)
class Ref:
    """A link to a target of the book (a row, a card, a table) under a reader's name."""

    target: str
    text: str

    def markdown(self) -> str:
        text = self.text.replace("`", "'").replace("<", "‹").replace(">", "›")
        return f"{{ref}}`{text} <{self.target}>`"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Cite:
    """A citation of a source of the bibliography, as author and year."""

    key: str
    text: str

    def markdown(self) -> str:
        return f"{{cite:t}}`{self.key}`"

    def __str__(self) -> str:
        return self.text


def anchor(register_id: str) -> str:
    """The label of a row's anchor: E004 -> event-e004."""
    return f"{REGISTERS[register_id[0]][2]}-{register_id.lower()}"


def _rows(resource: str, column: str) -> pd.DataFrame:
    return load(resource).set_index(column)


def name(register_id: str, lang: str = "en") -> str:
    """The name readers know a row by: its short title; a claim is "claim 4"."""
    letter = register_id[0]
    if letter == "C":
        return labels.text("ui.claim_n", lang, n=int(register_id[1:]))
    if letter == "P":
        return labels.text("ui.forecast_n", lang, n=int(register_id[1:]))
    resource, column, _ = REGISTERS[letter]
    row = _rows(resource, column).loc[register_id]
    if not pd.isna(row["short"]):
        return str(row["short"])
    fallback = {"events": "event_en", "agreements": "title_en"}.get(resource)
    return str(row[fallback]) if fallback else str(row["period_label"])


def ref(register_id: str, lang: str = "en") -> Ref:
    return Ref(anchor(register_id), name(register_id, lang))


def expand(text: str) -> list[str]:
    """The ids a reference names, ranges spelt out: "C014–C016 E002" -> C014 C015 C016 E002."""
    ids = []
    for token in re.split(r"[\s,;]+", _RANGE.sub(
            lambda m: " ".join(f"{m[1]}{n:03d}" for n in range(int(m[2]), int(m[3]) + 1)),
            text.strip())):
        if token:
            if not _ID.fullmatch(token):
                raise ValueError(f"{token!r} is not the id of a register row")
            ids.append(token)
    return ids


def dots_ref(token: str, lang: str = "en") -> Ref:
    """A cell of the IMF series, linked to the annual table of its reporter."""
    reporter, partner, flow, year = DOTS_CELL.match(token).groups()
    key = f"dots_cell.{reporter}.{partner}.{flow}"
    return Ref(f"tbl-trade-{reporter.lower()}", labels.text(key, lang, year=year))


def evidence(tokens: str, lang: str = "en") -> list[Ref | Cite]:
    """The evidence of a claim or forecast (ids, DOTS cells and source keys), as links."""
    out: list[Ref | Cite] = []
    for token in str(tokens).split():
        if DOTS_CELL.match(token):
            out.append(dots_ref(token, lang))
        elif REGISTER_ID.match(token) or _ID.fullmatch(token):
            out.append(ref(token, lang))
        else:
            out.append(Cite(token, author_year(token)))
    return out

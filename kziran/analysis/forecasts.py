"""The register of the authors' expectations: the rules that recompute its numeric verdicts.

Each expectation the article voices (data/forecasts.csv) is tested against what happened
after it was written. Its ``tested_by`` says what decides the verdict:

- ``data``: the verdict follows from its ``check`` alone: every test held, **borne out**;
  none, **not borne out**; some, **partly borne out**;
- ``data and documents``: the check tests one part of it; the verdict weighs the rest
  from documents and may not contradict the check (a test that held rules out *not borne
  out*, one that failed rules out *borne out*);
- ``documents``: no number decides it; the verdict is argued in the note, and is **too
  early to tell** when no source since 2020 settles it.

Check grammar (tests separated by `` | ``):

- ``rise:A:B`` / ``fall:A:B``: the figure of register row B is above (below) that of row A.
  The two must be comparable: the same flow, the same statistics and the same span of the
  year (a part-year figure is compared only with the same months of another year);
- ``atleast:A:dots:<reporter>:<year>``: the figure of row A is at least the IMF series'
  turnover in that reporter's statistics for the year (a lower bound that falls short of it
  does not hold).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data import allowed, load
from . import trade

VERDICTS = allowed("forecasts", "verdict")


@dataclass
class Test:
    kind: str  # rise, fall or atleast
    first: str  # a register row (or, for atleast, the row tested)
    second: str  # a register row, or "dots:KAZ:2019"
    values: tuple[float, float]
    held: bool


@dataclass
class Outcome:
    verdict: str
    tests: list[Test] = field(default_factory=list)


def _row(figure_id: str) -> pd.Series:
    name = "trade_reported" if figure_id.startswith("T") else "figures"
    return load(name).set_index("figure_id").loc[figure_id]


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)


def comparable(a, b) -> str | None:
    """Why two reported figures (rows, as typed or as text) cannot be compared (None when
    they can)."""
    for column in ("direction", "statistics_of", "period_kind", "coverage"):
        if column in a and str(a[column]) != str(b[column]):
            return f"their {column.replace('_', ' ')} differs"
    if [_date(a[c])[5:] for c in ("period_start", "period_end")] != \
            [_date(b[c])[5:] for c in ("period_start", "period_end")]:
        return "they cover different months of the year"
    if _date(a["period_start"]) >= _date(b["period_start"]):
        return "the second figure must be the later one"
    return None


def test(text: str) -> Test:
    kind, first, *rest = text.strip().split(":")
    a = _row(first)
    if kind in ("rise", "fall"):
        b = _row(rest[0])
        why = comparable(a, b)
        if why:
            raise ValueError(f"{first} and {rest[0]} cannot be compared: {why}")
        values = (float(a["value"]), float(b["value"]))
        held = values[1] > values[0] if kind == "rise" else values[1] < values[0]
        return Test(kind, first, rest[0], values, held)
    if kind == "atleast":
        _, reporter, year = rest
        level = trade.value("turnover", reporter, int(year))
        values = (float(a["value"]), level)
        return Test(kind, first, ":".join(rest), values, values[0] >= values[1])
    raise ValueError(f"cannot read the test {text!r}")


def evaluate(row) -> Outcome | None:
    """Recompute a forecast's numeric verdict from its check; None without a check."""
    check = row.check
    if check is None or pd.isna(check) or not str(check).strip():
        return None
    tests = [test(t) for t in str(check).split("|")]
    held = [t.held for t in tests]
    verdict = ("borne out" if all(held) else "not borne out" if not any(held)
               else "partly borne out")
    return Outcome(verdict, tests)


def consistent(registered: str, tested_by: str, computed: str | None) -> bool:
    """Whether a registered verdict agrees with what its check recomputed."""
    if tested_by == "documents" or computed is None:
        return computed is None
    if tested_by == "data":
        return registered == computed
    return registered == "partly borne out" or registered == computed


def register() -> pd.DataFrame:
    """The register with the recomputed verdict and the tests it rests on."""
    df = load("forecasts")
    outcomes = [evaluate(r) for r in df.itertuples(index=False)]
    df["computed_verdict"] = pd.array([o.verdict if o else pd.NA for o in outcomes],
                                      dtype="string")
    df["computed_tests"] = [o.tests if o else [] for o in outcomes]
    return df


def counts() -> dict[str, int]:
    """Verdicts on the expectations, for the chapter's prose."""
    reg = load("forecasts")
    found = reg["verdict"].value_counts()
    return {"all": len(reg), **{v.replace(" ", "_"): int(found.get(v, 0)) for v in VERDICTS},
            "computed": int(reg["check"].notna().sum())}

"""The claims register: recompute verdicts from the data and check every reference.

Check grammar (column `check` of data/claims.csv):

- ``dots:<measure>:<reporter>:<years>[:<stat>][:<cmp>]`` — measure turnover, exports or
  imports in the reporter's own DOTS statistics; years ``YYYY`` or ``YYYY-YYYY``; stat for
  a range mean (default), min, max, sum or all; cmp eq (default) or ge.
- ``dots-ratio:<measure>:<reporter>:<y1>:<y2>`` — value(y1) / value(y2).
- ``dots-pct:<measure>:<reporter>:<y1>:<y2>`` — percent change from y1 to y2.
- ``reported:<T id>`` / ``figure:<F id>`` — the value of a row of trade_reported / figures.
- ``event:<E id>`` / ``agreement:<A id>`` — the claim's period must overlap the row's dates.

Numeric rule: the claim's band is [value, value_max or value]; the deviation is 0 inside
the band, else the distance to the nearest end divided by |actual|. Deviation within the
tolerance: supported; within three tolerances: partly supported; beyond: contradicted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from . import trade
from .data import _read_raw, load

VERDICTS = ("supported", "partly supported", "contradicted", "not verifiable")
DEFAULT_TOLERANCE_PCT = 10.0


@dataclass
class Outcome:
    verdict: str
    actual: float | None
    detail: str


# --------------------------------------------------------------------------- periods
def period_interval(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """'2013', '2013-02', '2013-02-26', '2006-2008' or 'a/b' -> (first day, last day)."""
    text = text.strip()
    if "/" in text:
        a, b = text.split("/", 1)
        return period_interval(a)[0], period_interval(b)[1]
    m = re.fullmatch(r"(\d{4})-(\d{4})", text)
    if m:
        return pd.Timestamp(int(m[1]), 1, 1), pd.Timestamp(int(m[2]), 12, 31)
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not m:
        raise ValueError(f"cannot read the period {text!r}")
    year, month, day = int(m[1]), m[2], m[3]
    if day:
        d = pd.Timestamp(year, int(month), int(day))
        return d, d
    if month:
        start = pd.Timestamp(year, int(month), 1)
        return start, start + pd.offsets.MonthEnd(0)
    return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)


def _years(text: str) -> list[int]:
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(text)]


# --------------------------------------------------------------------------- rules
def numeric_verdict(claimed: float, claimed_max: float | None, actual: float, tol_pct: float,
                    cmp: str = "eq") -> str:
    tol = tol_pct / 100
    if cmp == "ge":
        if actual >= claimed * (1 - tol):
            return "supported"
        return "partly supported" if actual >= claimed * (1 - 3 * tol) else "contradicted"
    lo = claimed
    hi = claimed if claimed_max is None or pd.isna(claimed_max) else claimed_max
    lo, hi = min(lo, hi), max(lo, hi)
    if lo <= actual <= hi:
        dev = 0.0
    else:
        dev = min(abs(actual - lo), abs(actual - hi)) / abs(actual) if actual else float("inf")
    if dev <= tol:
        return "supported"
    return "partly supported" if dev <= 3 * tol else "contradicted"


def _dots(args: list[str], claim) -> Outcome:
    measure, reporter, years = args[0], args[1], args[2]
    rest = args[3:]
    cmp = "ge" if "ge" in rest else "eq"
    stats = [a for a in rest if a not in ("ge", "eq")]
    stat = stats[0] if stats else "mean"
    values = [trade.value(measure, reporter, y) for y in _years(years)]
    tol = _tol(claim)
    if stat == "all":
        verdicts = [numeric_verdict(claim.value, claim.value_max, v, tol, cmp) for v in values]
        n_ok = verdicts.count("supported")
        if n_ok == len(values):
            verdict = "supported"
        elif n_ok == 0 and "partly supported" not in verdicts:
            verdict = "contradicted"
        else:
            verdict = "partly supported"
        shown = ", ".join(f"{v:,.0f}" for v in values)
        return Outcome(verdict, None, f"{measure} ({reporter}) {years}: {shown}")
    actual = {"mean": sum(values) / len(values), "min": min(values), "max": max(values),
              "sum": sum(values)}[stat]
    verdict = numeric_verdict(claim.value, claim.value_max, actual, tol, cmp)
    label = f"{stat} of " if len(values) > 1 else ""
    return Outcome(verdict, actual, f"{label}{measure} ({reporter}) {years} = {actual:,.1f}")


def _dots_two(kind: str, args: list[str], claim) -> Outcome:
    measure, reporter, y1, y2 = args[0], args[1], int(args[2]), int(args[3])
    v1, v2 = trade.value(measure, reporter, y1), trade.value(measure, reporter, y2)
    actual = v1 / v2 if kind == "dots-ratio" else (v2 - v1) / v1 * 100
    verdict = numeric_verdict(claim.value, claim.value_max, actual, _tol(claim))
    what = "ratio" if kind == "dots-ratio" else "change in %"
    return Outcome(verdict, actual, f"{measure} ({reporter}) {y1}→{y2} {what} = {actual:,.2f}")


def _row_value(kind: str, ref: str, claim) -> Outcome:
    name, col = ("trade_reported", "figure_id") if kind == "reported" else ("figures", "figure_id")
    table = load(name).set_index(col)
    actual = float(table.loc[ref, "value"])
    verdict = numeric_verdict(claim.value, claim.value_max, actual, _tol(claim))
    return Outcome(verdict, actual, f"{ref} = {actual:,.1f}")


def _row_date(kind: str, ref: str, claim) -> Outcome:
    name, col = ("events", "event_id") if kind == "event" else ("agreements", "agreement_id")
    row = load(name).set_index(col).loc[ref]
    a, b = period_interval(str(claim.period))
    if pd.isna(row["date_from"]):
        return Outcome("not verifiable", None, f"{ref} has no known date")
    overlap = a <= row["date_to"] and row["date_from"] <= b
    span = f"{row['date_from']:%Y-%m-%d}" + (
        f" to {row['date_to']:%Y-%m-%d}" if row["date_to"] != row["date_from"] else ""
    )
    return Outcome("supported" if overlap else "contradicted", None, f"{ref}: {span}")


def _tol(claim) -> float:
    t = claim.tolerance_pct
    return DEFAULT_TOLERANCE_PCT if t is None or pd.isna(t) else float(t)


def evaluate(claim) -> Outcome | None:
    """Recompute one claim's verdict from its `check`; None when the verdict is argued."""
    check = claim.check
    if check is None or pd.isna(check) or not str(check).strip():
        return None
    kind, *args = str(check).strip().split(":")
    if kind == "dots":
        return _dots(args, claim)
    if kind in ("dots-ratio", "dots-pct"):
        return _dots_two(kind, args, claim)
    if kind in ("reported", "figure"):
        return _row_value(kind, args[0], claim)
    if kind in ("event", "agreement"):
        return _row_date(kind, args[0], claim)
    raise ValueError(f"unknown check kind {kind!r}")


def register() -> pd.DataFrame:
    """The claims register with the recomputed verdict and what it was computed from."""
    df = load("claims")
    computed, detail = [], []
    for claim in df.itertuples(index=False):
        out = evaluate(claim)
        computed.append(out.verdict if out else pd.NA)
        detail.append(out.detail if out else pd.NA)
    df["computed_verdict"] = pd.array(computed, dtype="string")
    df["computed_from"] = pd.array(detail, dtype="string")
    return df


def verdict_counts(df: pd.DataFrame | None = None) -> pd.Series:
    df = register() if df is None else df
    return df["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)


# --------------------------------------------------------------------------- references
_CHECK = re.compile(
    r"^(dots:(turnover|exports|imports):(KAZ|IRN):\d{4}(-\d{4})?(:(mean|min|max|sum|all))?(:(eq|ge))?"
    r"|dots-(ratio|pct):(turnover|exports|imports):(KAZ|IRN):\d{4}:\d{4}"
    r"|(reported|figure|event|agreement):[TFEA]\d{3})$"
)
_DOTS_CELL = re.compile(r"^dots:(KAZ|IRN):(KAZ|IRN|WLD):(exports_fob|imports_cif):(\d{4})$")


def reference_problems() -> list[tuple[int, str, str]]:
    """(row index, column, message) for every evidence id or check that points nowhere."""
    claims = _read_raw("claims")
    ids = {}
    for name, col in (("events", "event_id"), ("agreements", "agreement_id"),
                      ("trade_reported", "figure_id"), ("figures", "figure_id")):
        ids.update({i: name for i in _read_raw(name)[col]})
    keys = set(_read_raw("sources")["key"])
    dots = _read_raw("dots")
    cells = set(zip(dots.reporter, dots.partner, dots.flow, dots.year))
    problems = []
    for i, row in claims.iterrows():
        for token in row["evidence"].split():
            m = _DOTS_CELL.match(token)
            if m:
                if tuple(m.groups()) not in cells:
                    problems.append((i, "evidence", f"no DOTS cell {token!r}"))
            elif re.fullmatch(r"[ETAF]\d{3}", token):
                if token not in ids:
                    problems.append((i, "evidence", f"unknown register id {token!r}"))
            elif token not in keys:
                problems.append((i, "evidence", f"unknown source key or id {token!r}"))
        check = row["check"].strip()
        if check:
            if not _CHECK.match(check):
                problems.append((i, "check", f"cannot read the check {check!r}"))
            elif check.split(":")[0] in ("reported", "figure", "event", "agreement"):
                ref = check.split(":")[1]
                if ref not in ids:
                    problems.append((i, "check", f"unknown register id {ref!r}"))
            if check.split(":")[0] in ("event", "agreement"):
                try:
                    period_interval(row["period"])
                except ValueError as exc:
                    problems.append((i, "period", str(exc)))
    return problems


def for_section(section: str) -> pd.DataFrame:
    """The claims of one section, as a compact table for its chapter."""
    df = register()
    sel = df[df["section"] == section]
    out = sel[["claim_id", "statement", "verdict", "note"]].copy()
    out.columns = ["claim", "what the article says (our words)", "verdict", "why"]
    return out.reset_index(drop=True)


def trade_points() -> pd.DataFrame:
    """The article's turnover figures that a DOTS check places in time, for the chart."""
    df = register()
    rows = []
    for claim in df.itertuples(index=False):
        check = "" if pd.isna(claim.check) else str(claim.check)
        parts = check.split(":")
        if parts[0] != "dots" or parts[1] != "turnover" or pd.isna(claim.value):
            continue
        years = _years(parts[3])
        hi = claim.value if pd.isna(claim.value_max) else claim.value_max
        rows.append({"claim_id": claim.claim_id, "x0": years[0] - 0.4, "x1": years[-1] + 0.4,
                     "lo": float(claim.value), "hi": float(hi), "verdict": claim.verdict})
    return pd.DataFrame(rows, columns=["claim_id", "x0", "x1", "lo", "hi", "verdict"])


def value_of(claim_id: str) -> float:
    """The number the article states in one claim (as registered), for glued prose."""
    df = load("claims").set_index("claim_id")
    value = df.loc[claim_id, "value"]
    if pd.isna(value):
        raise ValueError(f"claim {claim_id} states no number")
    return float(value)


def by_type() -> pd.DataFrame:
    """Verdicts by kind of claim (counts)."""
    df = load("claims")
    table = pd.crosstab(df["claim_type"], df["verdict"]).reindex(columns=list(VERDICTS),
                                                                 fill_value=0)
    table["all"] = table.sum(axis=1)
    table.index.name = "kind of claim"
    return table


def by_type_table() -> pd.DataFrame:
    """by_type() with readable row labels, for the book."""
    table = by_type()
    table.index = table.index.str.replace("_", " ")
    return table

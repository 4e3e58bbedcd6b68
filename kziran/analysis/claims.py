"""The claims register: the rules that recompute its verdicts from the data.

Check grammar (column `check` of data/claims.csv): one or more series separated by
`` | ``, each the independent record of one source. A leading ``*`` marks the series the
claim's own sentence relies on (it decides only when the others straddle the claim).

- ``dots:<measure>:<reporter>:<years>[:<stat>][:<cmp>]`` — measure turnover, exports or
  imports in one reporter's DOTS statistics; years ``YYYY`` or ``YYYY-YYYY``; stat for a
  range of years: mean (default), min, max, sum, or all (every year must hold); cmp eq
  (default) or ge (the claim is a lower bound).
- ``dots-ratio:<measure>:<reporter>:<y1>:<y2>`` — value(y1) / value(y2).
- ``dots-pct:<measure>:<reporter>:<y1>:<y2>`` — percent change from y1 to y2.
- ``reported:<T id>`` / ``figure:<F id>`` — the value of a row of trade_reported / figures.
- ``event:<E id>`` / ``agreement:<A id>`` — the claim's period must overlap the row's dates.

Numeric rules (stated in the Methods chapter). The claim's band is [value, value_max or
value]; a series is *within* the tolerance when its value lies in the band or misses it by
at most the tolerance (default 10 %) of the value. Then:

- a claim is judged on the series its own sentence relies on: the series marked ``*``, or
  else, for trade, Kazakhstan's statistics (the article's trade figures are Kazakh ones,
  and in this DOTS vintage Iran's side is partly an IMF estimate built from Kazakh
  records). Within: **supported**; not within: **contradicted**. The other series are
  caveats, shown beside the verdict, never a reason to change it;
- a claim no series is relied on for: every series within, **supported**; every series
  missing on the same side, **contradicted**; anything else means the records conflict,
  and the claim is **not verifiable**.

With ``all``, each year is judged so; a claim holds when every year does, fails when every
year fails, and is **partly supported** otherwise (a true part and a false part).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..data import allowed, load
from . import trade

VERDICTS = allowed("claims", "verdict")  # from the schema, in its order
EDITORIAL_VERDICTS = ("inconsistent", "consistent")  # of our own observations only
AUTHOR_VERDICTS = tuple(v for v in VERDICTS if v not in EDITORIAL_VERDICTS)
DEFAULT_TOLERANCE_PCT = 10.0


@dataclass
class Outcome:
    verdict: str
    actual: float | None
    detail: str
    # What was recomputed, for a page to put into words: one dict per series, with its
    # kind, measure, reporter, years, statistic, values and the claim's deviations from
    # them, and whether the verdict rests on it (or, for a date check, the row's dates).
    series: list = field(default_factory=list)


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
def deviation(claimed: float, claimed_max: float | None, actual: float,
              cmp: str = "eq") -> float:
    """Signed relative miss of the claim by one value: 0 inside the band; positive when the
    claim is above the value, negative when below (relative to the value)."""
    lo = claimed
    hi = claimed if claimed_max is None or pd.isna(claimed_max) else claimed_max
    lo, hi = min(lo, hi), max(lo, hi)
    if lo <= actual <= (float("inf") if cmp == "ge" else hi):
        return 0.0
    if cmp == "ge" or actual < lo:
        return (lo - actual) / abs(actual) if actual else float("inf")
    return (hi - actual) / abs(actual) if actual else float("-inf")


def combine(deviations: list[float], tol_pct: float, relied_on: int | None = None) -> str:
    """The verdict from the deviations of the independent series (see the module's rules)."""
    tol = tol_pct / 100
    within = [abs(d) <= tol for d in deviations]
    if relied_on is not None:
        return "supported" if within[relied_on] else "contradicted"
    if all(within):
        return "supported"
    if not any(within) and len({d > 0 for d in deviations}) == 1:
        return "contradicted"
    return "not verifiable"


def relied_on(series: list[str]) -> int | None:
    """The series a claim is judged on: the one marked ``*``, else Kazakhstan's DOTS
    statistics when the claim is checked against them, else none."""
    starred = next((i for i, s in enumerate(series) if s.startswith("*")), None)
    if starred is not None:
        return starred
    return next((i for i, s in enumerate(series)
                 if s.startswith("dots") and _split(s)[1][1] == "KAZ"), None)


def _values(kind: str, args: list[str]) -> tuple[list[float], str, str]:
    """The series' value for each year it covers, the statistic, and a label."""
    if kind in ("dots-ratio", "dots-pct"):
        measure, reporter, y1, y2 = args[0], args[1], int(args[2]), int(args[3])
        value = (trade.ratio if kind == "dots-ratio" else trade.change_pct)(measure, reporter,
                                                                            y1, y2)
        what = "ratio" if kind == "dots-ratio" else "change in %"
        return [value], "one", f"{measure} ({reporter}) {y1}→{y2} {what}"
    if kind in ("reported", "figure"):
        name = "trade_reported" if kind == "reported" else "figures"
        table = load(name).set_index("figure_id")
        return [float(table.loc[args[0], "value"])], "one", args[0]
    measure, reporter, years = args[0], args[1], args[2]
    stat = next((a for a in args[3:] if a not in ("ge", "eq")), "mean")
    values = trade.values(measure, reporter, _years(years))
    if stat != "all" and len(values) > 1:
        values = [{"mean": sum(values) / len(values), "min": min(values), "max": max(values),
                   "sum": sum(values)}[stat]]
        return values, "one", f"{stat} of {measure} ({reporter}) {years}"
    return values, stat if len(values) > 1 else "one", f"{measure} ({reporter}) {years}"


def _numeric(series: list[str], claim) -> Outcome:
    tol = _tol(claim)
    judged_on = relied_on(series)
    values, deviations, details, described = [], [], [], []
    for i, text in enumerate(series):
        kind, args = _split(text)
        cmp = "ge" if "ge" in args[3:] else "eq"
        found, stat, label = _values(kind, args)
        values.append(found)
        deviations.append([deviation(claim.value, claim.value_max, v, cmp) for v in found])
        shown = ", ".join(_shown(v, d, kind) for v, d in zip(found, deviations[-1]))
        details.append(f"{label} = {shown}")
        entry = {"kind": kind, "values": found, "deviations": deviations[-1], "stat": stat,
                 "relied": i == judged_on, "bound": cmp == "ge"}
        if kind in ("reported", "figure"):
            entry["ref"] = args[0]
        else:
            entry.update(measure=args[0], reporter=args[1],
                         years=_years(args[2]) if kind == "dots" else [int(args[2]),
                                                                       int(args[3])])
            if kind == "dots" and stat == "one" and len(entry["years"]) > 1:
                entry["stat"] = next((a for a in args[3:] if a not in ("ge", "eq")), "mean")
        described.append(entry)
    n_years = min(len(d) for d in deviations)
    by_year = [combine([d[i] for d in deviations], tol, judged_on) for i in range(n_years)]
    if n_years == 1:
        verdict = by_year[0]
    else:  # `all`: a claim about every year holds or fails only if every year does
        verdict = by_year[0] if len(set(by_year)) == 1 else "partly supported"
    actual = values[0][0] if len(series) == 1 and n_years == 1 else None
    return Outcome(verdict, actual, "; ".join(details), described)


def _shown(value: float, dev: float, kind: str) -> str:
    """A recomputed value and, for levels and ratios, how far the claim is from it."""
    text = f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
    if kind == "dots-pct":  # a miss relative to a percentage change says nothing useful
        return text
    if dev == 0:
        return f"{text} (the claim covers it)"
    return f"{text} (claim {abs(dev):.0%} {'above' if dev > 0 else 'below'} it)"


def _split(text: str) -> tuple[str, list[str]]:
    kind, *args = text.strip().lstrip("*").split(":")
    return kind, args


def _row_date(kind: str, ref: str, claim) -> Outcome:
    name, col = ("events", "event_id") if kind == "event" else ("agreements", "agreement_id")
    row = load(name).set_index(col).loc[ref]
    a, b = period_interval(str(claim.period))
    entry = {"kind": kind, "ref": ref, "date_from": row["date_from"], "date_to": row["date_to"],
             "precision": row["date_precision"]}
    if pd.isna(row["date_from"]):
        return Outcome("not verifiable", None, f"{ref} has no known date", [entry])
    overlap = a <= row["date_to"] and row["date_from"] <= b
    span = f"{row['date_from']:%Y-%m-%d}" + (
        f" to {row['date_to']:%Y-%m-%d}" if row["date_to"] != row["date_from"] else ""
    )
    return Outcome("supported" if overlap else "contradicted", None, f"{ref}: {span}", [entry])


def _tol(claim) -> float:
    t = claim.tolerance_pct
    return DEFAULT_TOLERANCE_PCT if t is None or pd.isna(t) else float(t)


def evaluate(claim) -> Outcome | None:
    """Recompute one claim's verdict from its `check`; None when the verdict is argued."""
    check = claim.check
    if check is None or pd.isna(check) or not str(check).strip():
        return None
    series = [s.strip() for s in str(check).split("|")]
    kind, args = _split(series[0])
    if kind in ("event", "agreement"):
        return _row_date(kind, args[0], claim)
    return _numeric(series, claim)


def register() -> pd.DataFrame:
    """The claims register with the recomputed verdict and what it was computed from."""
    df = load("claims")
    computed, detail, described = [], [], []
    for claim in df.itertuples(index=False):
        out = evaluate(claim)
        computed.append(out.verdict if out else pd.NA)
        detail.append(out.detail if out else pd.NA)
        described.append(out.series if out else [])
    df["computed_verdict"] = pd.array(computed, dtype="string")
    df["computed_from"] = pd.array(detail, dtype="string")
    df["computed_series"] = described
    return df


EDITORIAL = "editorial"  # our own observations on the article, not the authors' claims


def authors_claims(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """The register without our editorial observations."""
    df = register() if df is None else df
    return df[df["claim_type"] != EDITORIAL]


def verdict_counts(df: pd.DataFrame | None = None) -> pd.Series:
    """Verdicts on the authors' claims (editorial observations left out)."""
    return authors_claims(df)["verdict"].value_counts().reindex(list(AUTHOR_VERDICTS),
                                                                fill_value=0)


def assessment() -> dict[str, int]:
    """The counts the conclusion states, all from the register."""
    reg = register()
    own = authors_claims(reg)
    counts = verdict_counts(reg)
    editorial = reg[reg["claim_type"] == EDITORIAL]
    dates = own[own["claim_type"] == "date"]
    numeric_trade = own[(own["claim_type"] == "trade") & own["value"].notna()]
    return {
        "authors": len(own), "supported": int(counts["supported"]),
        "partly": int(counts["partly supported"]), "contradicted": int(counts["contradicted"]),
        "unverifiable": int(counts["not verifiable"]),
        "computed": int(own["computed_verdict"].notna().sum()),
        "editorial": len(editorial),
        "editorial_inconsistent": int((editorial["verdict"] == "inconsistent").sum()),
        "dates_checked": int((dates["verdict"] != "not verifiable").sum()),
        "dates_supported": int((dates["verdict"] == "supported").sum()),
        "trade_numeric": len(numeric_trade),
        "trade_within": int(numeric_trade["verdict"].isin(["supported", "partly supported"])
                            .sum()),
    }


def trade_points() -> pd.DataFrame:
    """The article's turnover figures that a DOTS check places in time, for the chart."""
    df = register()
    rows = []
    for claim in df.itertuples(index=False):
        if pd.isna(claim.check) or pd.isna(claim.value):
            continue
        kind, args = _split(str(claim.check).split("|")[0])
        if kind != "dots" or args[0] != "turnover":
            continue
        years = _years(args[2])
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


def stated_values() -> dict[str, tuple[float, str]]:
    """The article's own figures, as the register records them, for a page to quote, each
    with its claim: ``art_c019`` is claim C019's value, ``art_c057_max`` the upper end of
    its range, and ``art_c036_bn`` a value in millions given in billions."""
    out = {}
    for r in load("claims").itertuples(index=False):
        key = f"art_{r.claim_id.lower()}"
        if not pd.isna(r.value):
            out[key] = (float(r.value), r.claim_id)
            if r.unit in ("USD million", "KZT million") and r.value >= 1000:
                out[f"{key}_bn"] = (float(r.value) / 1000, r.claim_id)
        if not pd.isna(r.value_max):
            out[f"{key}_max"] = (float(r.value_max), r.claim_id)
    return out


def by_type() -> pd.DataFrame:
    """Verdicts on the authors' claims by kind of claim (counts)."""
    df = authors_claims(load("claims"))
    table = pd.crosstab(df["claim_type"], df["verdict"]).reindex(
        columns=list(AUTHOR_VERDICTS), fill_value=0)
    table["all"] = table.sum(axis=1)
    return table

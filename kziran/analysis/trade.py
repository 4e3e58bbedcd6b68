"""Trade series computed from the IMF DOTS extract: bilateral tables, shares, mirrors, regimes.

Every derived number in the book (turnover, balance, growth, shares, gaps, averages)
comes from these functions; nothing is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..constants import FIRST_YEAR
from ..data import load

PARTNER = {"KAZ": "IRN", "IRN": "KAZ"}

# Sanctions regimes: the boundary events are looked up in the events register by
# their `milestone` key; only the order lives here (their names: labels `regime.*`).
REGIMES = (
    ("before_un", None),
    ("un_sanctions", "unsc_sanctions_begin"),
    ("eu_us_embargo", "eu_oil_embargo_begin"),
    ("jcpoa", "jcpoa_implementation_day"),
    ("after_us_exit", "us_jcpoa_withdrawal"),
)


def dots() -> pd.DataFrame:
    """The raw DOTS extract, typed and validated."""
    return load("dots")


def _series(df: pd.DataFrame, reporter: str, partner: str, flow: str) -> pd.DataFrame:
    sel = df[(df.reporter == reporter) & (df.partner == partner) & (df.flow == flow)]
    return sel.set_index("year")[["value", "imf_estimate"]]


def bilateral(reporter: str = "KAZ", first_year: int = FIRST_YEAR) -> pd.DataFrame:
    """Annual bilateral trade as one reporter records it (US$ million).

    Columns: exports (FOB, to the partner), imports (CIF, from the partner),
    turnover = exports + imports, balance = exports - imports, the year-on-year
    change of turnover in percent, and the IMF estimate flags of both flows.
    """
    df = dots()
    partner = PARTNER[reporter]
    ex = _series(df, reporter, partner, "exports_fob")
    im = _series(df, reporter, partner, "imports_cif")
    out = pd.DataFrame(
        {
            "exports": ex["value"],
            "imports": im["value"],
            "exports_estimated": ex["imf_estimate"],
            "imports_estimated": im["imf_estimate"],
        }
    )
    out = out[out.index >= first_year].sort_index()
    out["turnover"] = out["exports"] + out["imports"]
    out["balance"] = out["exports"] - out["imports"]
    out["turnover_change_pct"] = out["turnover"].pct_change(fill_method=None) * 100
    out.index = out.index.astype(int)
    out.index.name = "year"
    return out


def world(reporter: str = "KAZ") -> pd.DataFrame:
    """The reporter's total goods trade with the World (US$ million)."""
    df = dots()
    ex = _series(df, reporter, "WLD", "exports_fob")["value"]
    im = _series(df, reporter, "WLD", "imports_cif")["value"]
    out = pd.DataFrame({"exports": ex, "imports": im})
    out["turnover"] = out["exports"] + out["imports"]
    out.index = out.index.astype(int)
    out.index.name = "year"
    return out


def shares(first_year: int = FIRST_YEAR) -> pd.DataFrame:
    """Iran's share of Kazakhstan's trade and Kazakhstan's share of Iran's, percent.

    Each share uses one reporter's own statistics for both numerator and denominator.
    """
    rows = {}
    for reporter in ("KAZ", "IRN"):
        bil = bilateral(reporter, first_year)["turnover"]
        tot = world(reporter)["turnover"].reindex(bil.index)
        rows[f"{PARTNER[reporter]}_share_of_{reporter}_trade_pct"] = bil / tot * 100
    out = pd.DataFrame(rows)
    out.index.name = "year"
    return out


def mirror(first_year: int = FIRST_YEAR) -> pd.DataFrame:
    """Mirror statistics: each flow as its exporter and as its importer records it.

    For each direction, the exporter's FOB figure is set against the importer's CIF
    figure. gap = importer's record - exporter's record; gap_pct relative to the
    exporter's record. CIF values include freight and insurance, so a CIF record a
    few percent above the FOB one is expected; larger gaps come from timing,
    partner attribution, transit trade and estimation.
    """
    df = dots()
    out = {}
    for exporter in ("KAZ", "IRN"):
        importer = PARTNER[exporter]
        ex = _series(df, exporter, importer, "exports_fob")
        im = _series(df, importer, exporter, "imports_cif")
        tag = f"{exporter.lower()}_to_{importer.lower()}"
        out[f"{tag}_exporter_fob"] = ex["value"]
        out[f"{tag}_importer_cif"] = im["value"]
        out[f"{tag}_gap"] = im["value"] - ex["value"]
        out[f"{tag}_gap_pct"] = (im["value"] - ex["value"]) / ex["value"] * 100
        out[f"{tag}_exporter_estimated"] = ex["imf_estimate"]
        out[f"{tag}_importer_estimated"] = im["imf_estimate"]
    res = pd.DataFrame(out)
    res = res[res.index >= first_year].sort_index()
    res.index = res.index.astype(int)
    res.index.name = "year"
    return res


def estimated_cells(first_year: int = FIRST_YEAR) -> pd.DataFrame:
    """Bilateral DOTS cells the IMF marked as its own estimates."""
    df = dots()
    sel = df[(df.partner != "WLD") & df.imf_estimate & (df.year >= first_year)]
    return sel[["reporter", "partner", "flow", "year", "value"]].reset_index(drop=True)


def change_pct(measure: str, reporter: str, first: int, last: int) -> float:
    """Percent change of a measure from one year to another, in one reporter's data."""
    return (value(measure, reporter, last) / value(measure, reporter, first) - 1) * 100


def ratio(measure: str, reporter: str, first: int, last: int) -> float:
    """How many times larger the first year's value is than the last year's."""
    return value(measure, reporter, first) / value(measure, reporter, last)


def share(reporter: str, year: int) -> float:
    """The partner's share of the reporter's goods trade in a year, percent."""
    return float(shares().loc[year, f"{PARTNER[reporter]}_share_of_{reporter}_trade_pct"])


def values(measure: str, reporter: str, years) -> list[float]:
    """Bilateral numbers from DOTS for some years: turnover, exports, imports or balance."""
    table = bilateral(reporter, first_year=0)  # every year the data hold
    out = []
    for year in years:
        if year not in table.index or pd.isna(table.loc[year, measure]):
            raise KeyError(f"DOTS has no {measure} for reporter {reporter} in {year}")
        out.append(float(table.loc[year, measure]))
    return out


def value(measure: str, reporter: str, year: int) -> float:
    """One bilateral number from DOTS: turnover, exports, imports or balance."""
    return values(measure, reporter, [year])[0]


# --------------------------------------------------------------------------- regimes
def regimes() -> pd.DataFrame:
    """Sanctions regimes with start and end dates taken from the events register."""
    events = load("events").set_index("milestone", drop=False)
    starts = []
    for key, milestone in REGIMES:
        if milestone is None:
            starts.append((key, None, None))
            continue
        if milestone not in events.index:
            raise KeyError(f"no event with milestone {milestone!r} in data/events.csv")
        ev = events.loc[milestone]
        starts.append((key, ev["date_from"], ev["event_id"]))
    rows = []
    for i, (key, start, event_id) in enumerate(starts):
        end = starts[i + 1][1] - pd.Timedelta(days=1) if i + 1 < len(starts) else None
        rows.append({"regime": key, "start": start, "end": end, "start_event": event_id})
    return pd.DataFrame(rows).set_index("regime")


def regime_of_year(year: int, table: pd.DataFrame | None = None) -> str:
    """The regime in force on 1 July of the year (the mid-year rule)."""
    table = regimes() if table is None else table
    mid = pd.Timestamp(year=year, month=7, day=1)
    current = table.index[0]
    for key, row in table.iterrows():
        if row["start"] is not None and not pd.isna(row["start"]) and row["start"] <= mid:
            current = key
    return current


def regime_averages(reporter: str = "KAZ", last_year: int | None = None) -> pd.DataFrame:
    """Average annual trade and Iran's share of Kazakh trade in each sanctions regime."""
    table = regimes()
    bil = bilateral(reporter)
    if last_year is not None:
        bil = bil[bil.index <= last_year]
    share = shares()[f"{PARTNER[reporter]}_share_of_{reporter}_trade_pct"]
    frame = bil[["exports", "imports", "turnover"]].copy()
    frame["share_pct"] = share.reindex(frame.index)
    frame["regime"] = [regime_of_year(y, table) for y in frame.index]
    grouped = frame.groupby("regime", sort=False)
    out = grouped[["exports", "imports", "turnover", "share_pct"]].mean()
    out["first_year"] = grouped.apply(lambda g: int(g.index.min()), include_groups=False)
    out["last_year"] = grouped.apply(lambda g: int(g.index.max()), include_groups=False)
    out["years"] = grouped.size()
    return out.reindex([k for k in table.index if k in out.index])


# --------------------------------------------------------------------------- headline
@dataclass(frozen=True)
class Headline:
    """The numbers several chapters quote, computed once (Kazakhstan's statistics unless
    named otherwise; US$ million and percent)."""

    first_year: int
    last_year: int
    peak_year: int
    peak_turnover: float
    peak_exports_pct: float  # Kazakh exports as a share of turnover in the peak year
    last_turnover: float
    fall_pct: float  # from the peak to the last year
    peak_share: float  # Iran in Kazakhstan's goods trade, peak year
    last_share: float
    max_share: float
    max_share_year: int
    max_irn_share: float  # Kazakhstan in Iran's goods trade (Iran's statistics)
    max_irn_share_year: int
    decline_from: int  # the first year below the peak
    max_exports: float  # Kazakhstan's exports to Iran at their highest
    max_exports_year: int


def headline() -> Headline:
    kaz = bilateral("KAZ")
    s = shares()
    kaz_share, irn_share = s["IRN_share_of_KAZ_trade_pct"], s["KAZ_share_of_IRN_trade_pct"]
    peak, last = int(kaz["turnover"].idxmax()), int(kaz.index.max())
    return Headline(
        first_year=int(kaz.index.min()), last_year=last, peak_year=peak,
        peak_turnover=float(kaz.loc[peak, "turnover"]),
        peak_exports_pct=float(kaz.loc[peak, "exports"] / kaz.loc[peak, "turnover"] * 100),
        last_turnover=float(kaz.loc[last, "turnover"]),
        fall_pct=float((1 - kaz.loc[last, "turnover"] / kaz.loc[peak, "turnover"]) * 100),
        peak_share=float(kaz_share.loc[peak]), last_share=float(kaz_share.loc[last]),
        max_share=float(kaz_share.max()), max_share_year=int(kaz_share.idxmax()),
        max_irn_share=float(irn_share.max()), max_irn_share_year=int(irn_share.idxmax()),
        decline_from=peak + 1,
        max_exports=float(kaz["exports"].max()), max_exports_year=int(kaz["exports"].idxmax()),
    )


@dataclass(frozen=True)
class MirrorSummary:
    """What the mirror comparison shows, in numbers the chapter quotes."""

    estimated_cells: int  # bilateral cells of the extract that are IMF estimates
    iran_estimated_first: int  # Iran's exports to Kazakhstan are IMF estimates ...
    iran_estimated_last: int  # ... from this year to this one
    iran_estimated_years: int
    ratio_min: float  # Kazakhstan's recorded imports / Iran's estimated exports
    ratio_max: float
    first: int
    last: int
    years: int  # years with both records of Kazakhstan's exports
    iran_lower_years: int  # years in which Iran recorded less than Kazakhstan
    iran_lower_since: int  # ... and every year since this one
    gap_pct: dict  # year -> importer's minus exporter's record, % of the exporter's


def mirror_summary() -> MirrorSummary:
    m = mirror()
    est = estimated_cells()
    ir = est[(est.reporter == "IRN") & (est.flow == "exports_fob")]
    years = ir["year"].astype(int)
    ratio = (m["irn_to_kaz_importer_cif"] / m["irn_to_kaz_exporter_fob"]).loc[
        years.min():years.max()]
    gap = m["kaz_to_irn_gap_pct"].dropna()
    return MirrorSummary(
        estimated_cells=len(est), iran_estimated_first=int(years.min()),
        iran_estimated_last=int(years.max()), iran_estimated_years=len(years),
        ratio_min=float(ratio.min()), ratio_max=float(ratio.max()),
        first=int(gap.index.min()), last=int(gap.index.max()), years=len(gap),
        iran_lower_years=int((gap < 0).sum()),
        iran_lower_since=int(gap[gap >= 0].index.max() + 1),
        gap_pct={int(y): float(v) for y, v in gap.items()})

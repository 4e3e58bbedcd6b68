"""Reader-facing tables: computed frames renamed and ordered for the chapters."""

from __future__ import annotations

import pandas as pd

from . import claims, registers, trade
from .data import load


def annual_trade(reporter: str = "KAZ") -> pd.DataFrame:
    """Annual bilateral trade as one reporter records it, with IMF estimate marks."""
    t = trade.bilateral(reporter)
    own = "Kazakhstan" if reporter == "KAZ" else "Iran"
    other = "Iran" if reporter == "KAZ" else "Kazakhstan"
    est = []
    for ex, im in zip(t["exports_estimated"], t["imports_estimated"]):
        marks = [name for name, flag in (("exports", ex), ("imports", im)) if flag is True]
        est.append(", ".join(marks) if marks else "")
    out = pd.DataFrame({
        f"{own}'s exports to {other}": t["exports"],
        f"{own}'s imports from {other}": t["imports"],
        "turnover": t["turnover"],
        "balance": t["balance"],
        "turnover change, %": t["turnover_change_pct"],
        "IMF estimate": est,
    }, index=t.index)
    out.index.name = "year"
    return out


def shares_table() -> pd.DataFrame:
    s = trade.shares()
    return s.rename(columns={
        "IRN_share_of_KAZ_trade_pct": "Iran in Kazakhstan's trade, %",
        "KAZ_share_of_IRN_trade_pct": "Kazakhstan in Iran's trade, %",
    })


def regime_table() -> pd.DataFrame:
    r = trade.regime_averages("KAZ")
    regimes = trade.regimes()
    starts = [
        "–" if pd.isna(regimes.loc[k, "start"]) else f"{regimes.loc[k, 'start']:%Y-%m-%d} "
        f"({regimes.loc[k, 'start_event']})"
        for k in r.index
    ]
    return pd.DataFrame({
        "regime": r["label"],
        "begins (event)": starts,
        "years": [f"{a}–{b}" for a, b in zip(r["first_year"], r["last_year"])],
        "mean exports": r["exports"],
        "mean imports": r["imports"],
        "mean turnover": r["turnover"],
        "mean share of Kazakh trade, %": r["share_pct"],
    }).reset_index(drop=True)


def mirror_table() -> pd.DataFrame:
    m = trade.mirror()

    def flag(col):
        return m[col].map(lambda v: "e" if v is True else "")

    out = pd.DataFrame({
        "KZ exports (KZ data)": m["kaz_to_irn_exporter_fob"],
        "same flow, Iran's imports (IR data)": m["kaz_to_irn_importer_cif"],
        "gap, %": m["kaz_to_irn_gap_pct"],
        "IR exports (IR data)": m["irn_to_kaz_exporter_fob"],
        "IR exports: IMF estimate": flag("irn_to_kaz_exporter_estimated"),
        "same flow, KZ imports (KZ data)": m["irn_to_kaz_importer_cif"],
        "gap, % ": m["irn_to_kaz_gap_pct"],
    }, index=m.index)
    out.index.name = "year"
    return out


def reported_since(year: int) -> pd.DataFrame:
    """Official and press figures for periods DOTS does not cover."""
    df = load("trade_reported")
    sel = df[df["period_start"].dt.year >= year].sort_values(["period_start", "figure_id"])
    return pd.DataFrame({
        "id": sel["figure_id"],
        "period": sel["period_label"],
        "kind of period": sel["period_kind"].str.replace("_", " "),
        "flow": sel["direction"].map({"total": "turnover", "kaz_to_irn": "KZ → IR",
                                      "irn_to_kaz": "IR → KZ"}),
        "US$ million": sel["value"],
        "qualifier": sel["qualifier"].str.replace("_", " "),
        "stated by": sel["stated_by"],
        "source": sel["source"],
    }).reset_index(drop=True)


def article_documents() -> pd.DataFrame:
    """Documents and events the article mentions, matched to the registers."""
    ag = registers.in_article("agreements")
    ev = registers.in_article("events")
    rows = [
        {"id": r["agreement_id"], "register": "agreements",
         "date": registers.date_label(r), "what": r["title_en"]}
        for _, r in ag.iterrows()
    ] + [
        {"id": r["event_id"], "register": "events",
         "date": registers.date_label(r), "what": r["event_en"]}
        for _, r in ev.iterrows()
    ]
    out = pd.DataFrame(rows)
    return out.sort_values(["id"]).reset_index(drop=True)


def claims_register() -> pd.DataFrame:
    df = claims.register()
    return df[["claim_id", "section", "statement", "value", "value_max", "unit", "period",
               "verdict", "computed_from", "evidence", "note"]]

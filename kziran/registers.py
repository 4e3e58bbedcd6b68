"""The agreements and events registers: lookups, counts and the key facts of the book."""

from __future__ import annotations

import pandas as pd

from . import trade
from .data import load


def events() -> pd.DataFrame:
    return load("events")


def agreements() -> pd.DataFrame:
    return load("agreements")


def milestone(key: str) -> pd.Series:
    """The event that carries this milestone key (raises KeyError if none does)."""
    ev = events()
    hit = ev[ev["milestone"] == key]
    if hit.empty:
        raise KeyError(f"no event with milestone {key!r} in data/events.csv")
    return hit.iloc[0]


def date_label(row: pd.Series, prefix: str = "date") -> str:
    """A date range as text, at the precision the register gives."""
    a, b, precision = row[f"{prefix}_from"], row[f"{prefix}_to"], row[f"{prefix}_precision"]
    if pd.isna(a):
        return "date unknown"
    if precision == "day" or a == b:
        return f"{a:%-d %B %Y}"
    if precision == "month":
        return f"{a:%B %Y}"
    if precision == "year":
        return f"{a:%Y}"
    if a.year == b.year and a.month == b.month:
        return f"{a:%-d}–{b:%-d %B %Y}"
    return f"{a:%-d %B %Y} – {b:%-d %B %Y}"


def milestone_dates() -> pd.DataFrame:
    """Regime boundaries (from the events register) with short labels, for charts."""
    table = trade.regimes()
    rows = [
        {"regime": key, "label": row["label"], "date": row["start"], "event_id": row["start_event"]}
        for key, row in table.iterrows()
        if row["start"] is not None and not pd.isna(row["start"])
    ]
    return pd.DataFrame(rows)


def counted(df: pd.DataFrame) -> pd.DataFrame:
    """Rows whose documents are not already counted in a package row (`part_of`)."""
    return df[df["part_of"].isna()]


def agreement_counts(by: str) -> pd.DataFrame:
    """Register rows and documents (lowest and highest counts) by a column or by year.

    Documents that belong to a package row are counted once, in the package.
    """
    df = counted(agreements())
    key = df["date_from"].dt.year.astype("Int64") if by == "year" else df[by]
    grouped = df.groupby(key, dropna=False)
    out = pd.DataFrame({
        "rows": grouped.size(),
        "documents_min": grouped["documents_min"].sum(),
        "documents_max": grouped["documents_max"].sum(),
    })
    out.index.name = by
    return out


def event_counts(by: str) -> pd.Series:
    df = events()
    key = df["date_from"].dt.year if by == "year" else df[by]
    out = df.groupby(key).size()
    out.index.name = by
    return out


def key_facts() -> pd.DataFrame:
    """The facts the introduction shows; every value is computed here from the data."""
    ev, ag = events(), agreements()
    kaz = trade.bilateral("KAZ")
    share = trade.shares()["IRN_share_of_KAZ_trade_pct"]
    peak = int(kaz["turnover"].idxmax())
    last = int(kaz.index.max())
    relations = milestone("diplomatic_relations")
    consulate = milestone("gorgan_consulate")
    bilateral = ag[ag["scope"] == "bilateral"]
    rows = [
        ("Diplomatic relations established", date_label(relations), relations["event_id"]),
        ("Kazakh consulate in Gorgan opened", date_label(consulate), consulate["event_id"]),
        ("Documents in the agreements register",
         (f"{len(ag)} rows ({len(bilateral)} bilateral) standing for "
          f"{int(counted(ag)['documents_min'].sum())}–{int(counted(ag)['documents_max'].sum())}"
          " documents"),
         "data/agreements.csv"),
        ("Events in the timeline",
         f"{len(ev)}, from {ev['date_from'].min():%Y} to {ev['date_from'].max():%Y}",
         "data/events.csv"),
        ("Years of IMF trade data", f"{kaz.index.min()}–{last}", "IMF_DOTS_2022"),
        ("Peak trade turnover (Kazakh statistics)",
         f"US$ {kaz.loc[peak, 'turnover']:,.0f} million in {peak}", "IMF_DOTS_2022"),
        (f"Trade turnover in {last} (Kazakh statistics)",
         f"US$ {kaz.loc[last, 'turnover']:,.0f} million", "IMF_DOTS_2022"),
        (f"Iran's share of Kazakhstan's goods trade, {peak} and {last}",
         f"{share.loc[peak]:.1f}% and {share.loc[last]:.1f}%", "IMF_DOTS_2022"),
    ]
    return pd.DataFrame(rows, columns=["fact", "value", "source"])


def in_article(name: str) -> pd.DataFrame:
    """Rows of a register that the article mentions."""
    df = load(name)
    return df[df["in_article"].fillna(False).astype(bool)]

"""The agreements and events registers: lookups, counts and the key facts of the book."""

from __future__ import annotations

import pandas as pd

from ..constants import ARTICLE_WRITTEN, ARTICLE_YEAR
from ..data import load
from . import trade


def events() -> pd.DataFrame:
    return load("events")


def agreements() -> pd.DataFrame:
    return load("agreements")


def reported_trade() -> pd.DataFrame:
    return load("trade_reported")


def figures() -> pd.DataFrame:
    return load("figures")


def milestone(key: str) -> pd.Series:
    """The event that carries this milestone key (raises KeyError if none does)."""
    ev = events()
    hit = ev[ev["milestone"] == key]
    if hit.empty:
        raise KeyError(f"no event with milestone {key!r} in data/events.csv")
    return hit.iloc[0]


def entry(register_id: str) -> pd.Series:
    """The row of the events or agreements register with this id (E001, A007)."""
    name, col = ("events", "event_id") if register_id.startswith("E") else \
        ("agreements", "agreement_id")
    df = load(name)
    hit = df[df[col] == register_id]
    if hit.empty:
        raise KeyError(f"no row {register_id} in data/{name}.csv")
    return hit.iloc[0]






def years_before_article(register_id: str) -> float:
    """Years from an event or signature to the start of the article's year."""
    start = pd.Timestamp(year=ARTICLE_YEAR, month=1, day=1)
    return (start - entry(register_id)["date_from"]).days / 365.25




def span() -> tuple[int, int]:
    """First and last year of the events and agreements registers together."""
    dates = pd.concat([events()["date_from"], agreements()["date_from"]]).dropna()
    return int(dates.min().year), int(dates.max().year)


def figure_value(figure_id: str) -> float:
    """A value of the figures resource (data/figures.csv)."""
    df = load("figures").set_index("figure_id")
    return float(df.loc[figure_id, "value"])




def milestone_dates() -> pd.DataFrame:
    """Regime boundaries (from the events register), for charts."""
    table = trade.regimes()
    rows = [
        {"regime": key, "date": row["start"], "event_id": row["start_event"]}
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


def documents_per_year() -> pd.Series:
    """Documents signed per year (lowest count; a package counts its documents once)."""
    return agreement_counts("year")["documents_min"]


def treaty_base(since: str | None = None, until: str = ARTICLE_WRITTEN) -> dict:
    """Documents between the two states signed in a span (default: everything up to when
    the article was written), each counted once at the level of the state: drafts and
    business contracts are left out, and so is a package that mixes them in, whose
    intergovernmental part is counted through the rows recorded inside it. Lowest and
    highest counts, and the ids of the register rows."""
    ag = agreements()
    mixed = set(ag.loc[ag["doc_type"] == "mixed_package", "agreement_id"])
    ag = ag[ag["part_of"].isna() | ag["part_of"].isin(mixed)]
    sel = ag[(ag["scope"] == "bilateral") & (ag["date_from"] <= until)
             & (ag["date_from"] >= (since or ag["date_from"].min()))
             & (ag["status"] != "draft") & ~ag["doc_type"].isin(["contract", "mixed_package"])]
    return {"rows": len(sel), "ids": list(sel["agreement_id"]),
            "documents_min": int(sel["documents_min"].sum()),
            "documents_max": int(sel["documents_max"].sum())}


def treaty_floor(counted_by: str = "F046") -> dict:
    """The treaty base at the article's date, from a count published earlier (a row of the
    figures resource) and the state-level documents the register itemises after it."""
    fig = load("figures").set_index("figure_id").loc[counted_by]
    later = treaty_base(since=fig["period_end"] + pd.Timedelta(days=1))
    return {"earlier": float(fig["value"]), "earlier_year": int(fig["period_end"].year),
            "later": later["documents_min"], "later_ids": later["ids"],
            "total": float(fig["value"]) + later["documents_min"]}


def key_facts() -> list[dict]:
    """The facts the introduction shows, computed here from the data: for each, the key of
    its label, its values and where it comes from (a source key or a register's name)."""
    ev, ag = events(), agreements()
    h = trade.headline()
    relations = milestone("diplomatic_relations")
    consulate = milestone("gorgan_consulate")
    bilateral = ag[ag["scope"] == "bilateral"]
    return [
        {"fact": "relations", "date": relations, "source": relations["event_id"]},
        {"fact": "consulate", "date": consulate, "source": consulate["event_id"]},
        {"fact": "documents", "rows": len(ag), "bilateral": len(bilateral),
         "low": int(counted(ag)["documents_min"].sum()),
         "high": int(counted(ag)["documents_max"].sum()), "source": "agreements"},
        {"fact": "events", "count": len(ev), "first": int(ev["date_from"].min().year),
         "last": int(ev["date_from"].max().year), "source": "events"},
        {"fact": "dots_years", "first": h.first_year, "last": h.last_year,
         "source": "IMF_DOTS_2022"},
        {"fact": "peak", "value": h.peak_turnover, "year": h.peak_year, "source": "IMF_DOTS_2022"},
        {"fact": "last", "value": h.last_turnover, "year": h.last_year, "source": "IMF_DOTS_2022"},
        {"fact": "shares", "peak": h.peak_share, "last": h.last_share, "peak_year": h.peak_year,
         "last_year": h.last_year, "source": "IMF_DOTS_2022"},
    ]


def in_article(name: str) -> pd.DataFrame:
    """Rows of a register that the article mentions."""
    df = load(name)
    return df[df["in_article"].fillna(False).astype(bool)]


def stated_full_years(since: int) -> pd.DataFrame:
    """Full-year turnover figures stated for the years from ``since``, each with what kind of
    source states it: an official, national statistics, or the press (for the chart)."""
    tr = reported_trade()
    sel = tr[(tr["period_kind"] == "calendar_year") & (tr["direction"] == "total")
             & (tr["year"] >= since)]
    official = sel["stated_by"].str.contains(
        r"minister|President|ambassador|Prime|Deputy|official", case=False, regex=True)
    kind = ["official" if o else "statistics" if s != "unknown" else "press"
            for o, s in zip(official, sel["statistics_of"])]
    out = pd.DataFrame({"year": sel["year"].astype(int).values, "value": sel["value"].values,
                        "lower_bound": (sel["qualifier"] == "at_least").values, "kind": kind,
                        "figure_id": sel["figure_id"].values})
    return out.drop_duplicates(["year", "value", "kind"]).reset_index(drop=True)


def stated_spread(since: int) -> pd.DataFrame:
    """Calendar years from ``since`` for which sources state different full-year turnovers:
    the lowest and highest, and how many figures."""
    tr = reported_trade()
    sel = tr[(tr["period_kind"] == "calendar_year") & (tr["direction"] == "total")
             & (tr["year"] >= since)]
    grouped = sel.groupby("year")["value"]
    out = pd.DataFrame({"low": grouped.min(), "high": grouped.max(), "figures": grouped.size()})
    return out[out["figures"] > 1]

"""The package as a whole and its bibliography: sizes, coverage, licences, cited works."""

from __future__ import annotations

import pandas as pd

from ..data import PACKAGE, load


def _coverage(df: pd.DataFrame) -> str:
    for col in ("year", "date_from", "period_start"):
        if col in df.columns and df[col].notna().any():
            values = df[col].dropna()
            lo, hi = values.min(), values.max()
            if col != "year":
                lo, hi = lo.year, hi.year
            return f"{int(lo)}–{int(hi)}"
    return "–"


def summary() -> pd.DataFrame:
    """One row per resource: file, rows, years covered, licence."""
    rows = []
    for res in PACKAGE.descriptor["resources"]:
        df = load(res["name"])
        rows.append({"resource": res["name"], "file": PACKAGE.where(res["name"]),
                     "rows": len(df), "years": _coverage(df),
                     "licence": PACKAGE.licence(res["name"])})
    return pd.DataFrame(rows)


def source_counts() -> pd.Series:
    """Entries of the bibliography by role."""
    return load("sources")["role"].value_counts().sort_index()


def unconfirmed_sources() -> int:
    return int((~load("sources")["confirmed"].astype(bool)).sum())


def cited_works() -> pd.DataFrame:
    """The works the article cites: how we identified each (as cited, our inference, not
    found) and whether its bibliographic details could be confirmed."""
    src = load("sources")
    sel = src[src["role"] == "cited_by_article"]
    return pd.DataFrame({
        "key": sel["key"],
        "author": sel["author"].fillna("–"),
        "year": sel["year"].astype("string").fillna("–"),
        "title": sel["title"],
        "identified": sel["identified"].astype("string").str.replace("_", " "),
        "confirmed": sel["confirmed"].map({True: "yes", False: "no"}),
    }).reset_index(drop=True)


def bibliography_counts() -> dict[str, int]:
    """Entries of the bibliography: all, data sources, works the article cites, unconfirmed."""
    roles = source_counts()
    return {"all": int(roles.sum()), "data": int(roles.get("data_source", 0)),
            "cited": int(roles.get("cited_by_article", 0)),
            "unconfirmed": unconfirmed_sources()}


def cited_counts() -> dict[str, int]:
    """The works the article cites: how many, confirmed or not, identified how."""
    cited = cited_works()
    return {"all": len(cited), "confirmed": int((cited["confirmed"] == "yes").sum()),
            "unconfirmed": int((cited["confirmed"] == "no").sum()),
            "inferred": int((cited["identified"] == "our inference").sum()),
            "not_found": int((cited["identified"] == "not found").sum())}

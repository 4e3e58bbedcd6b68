"""The package as a whole and its bibliography: sizes, coverage, licences, cited works."""

from __future__ import annotations

from functools import lru_cache

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


def _family(person: str) -> str:
    person = person.strip().strip("{}")
    return person.split(",")[0].strip() if "," in person else person


def author_year(key: str) -> str:
    """A source as a reader cites it: "Isova and Apsattarova (2020)", "Koolaee et al.
    (2014)", an organisation by its name; without an author, the outlet or publisher, or
    else the opening of the title. Works of one name and year are told apart by a letter
    (2019a, 2019b), in the order of their dates. The bibliography labels entries so."""
    labels = author_year_labels()
    if key not in labels:
        raise KeyError(f"no source {key!r} in data/sources.csv")
    who, year = labels[key]
    return f"{who} ({year})"


def author_year_labels() -> dict[str, tuple[str, str]]:
    """Every source's (name, year with its letter), e.g. ("Kazinform", "2019a")."""
    stat = PACKAGE.path("sources").stat()
    return _labels((stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _labels(_version) -> dict[str, tuple[str, str]]:
    src = load("sources")
    found = {row.key: (_who(row), "n.d." if pd.isna(row.year) else str(int(row.year)))
             for row in src.itertuples(index=False)}
    order = src.assign(when=src["date"].fillna("")).sort_values(["when", "key"])["key"]
    groups: dict[tuple, list[str]] = {}
    for key in order:
        groups.setdefault(found[key], []).append(key)
    out = {}
    for (who, year), keys in groups.items():
        for i, key in enumerate(keys):
            out[key] = (who, year + ("abcdefghijklmnopqrstuvwxyz"[i] if len(keys) > 1 else ""))
    return out


def _who(row) -> str:
    if not pd.isna(row.author):
        families = [_family(p) for p in str(row.author).split(" and ")]
        who = (families[0] if len(families) == 1 else " and ".join(families)
               if len(families) == 2 else f"{families[0]} et al.")
    elif not pd.isna(row.container) or not pd.isna(row.publisher):
        who = str(row.container if not pd.isna(row.container) else row.publisher)
    else:  # a work known by its title alone
        who = str(row.title).strip("[]")
    return who

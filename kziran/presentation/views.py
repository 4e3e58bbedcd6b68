"""Reader-facing tables: the analysis layer's frames, in one language, with label keys.

Every table the chapters show is built here, once; a notebook only wraps the view in a
:class:`~kziran.presentation.tables.Table`, which calls it for each language. Columns are
named by keys of the ``column.*`` labels (the Table turns them into headers); values from
the registers keep their wording, codes become words, sources become citations and
register rows links to their entries.
"""

from __future__ import annotations

import pandas as pd

from .. import formats, labels
from ..analysis import claims, registers, sources, trade
from ..data import PACKAGE
from . import references
from .references import Cite, Ref
from .tables import Badge

# Columns that show source values as the IMF gives them (published exactly).
SOURCE_COLUMNS = ("exports_kaz", "imports_kaz", "exports_irn", "imports_irn",
                  "kz_ir_kaz", "kz_ir_irn", "ir_kz_irn", "ir_kz_kaz")
BADGES = {"supported": "success", "partly supported": "warning", "contradicted": "danger",
          "not verifiable": "dark", "inconsistent": "danger", "consistent": "info"}


def words(resource: str, field: str, values, lang: str) -> list:
    """Code values of the data package as words (missing values stay missing)."""
    return [None if v is None or pd.isna(v) else labels.code(resource, field, v, lang)
            for v in values]


def cite(key: str) -> Cite:
    return Cite(key, sources.author_year(key))


def when(row: pd.Series, lang: str) -> str:
    """A register row's date, at its precision."""
    return formats.date_range(row["date_from"], row["date_to"], row["date_precision"], lang,
                              unknown=labels.text("ui.date_unknown", lang))


def verdict(value: str, lang: str) -> Badge:
    return Badge(labels.code("claims", "verdict", value, lang), BADGES[value])


def date_of(register_id: str, lang: str = "en") -> str:
    """The date of an event or of an agreement's signature, at its precision."""
    return when(registers.entry(register_id), lang)


def in_force_of(agreement_id: str, lang: str = "en") -> str:
    """The date an agreement entered into force."""
    date = registers.entry(agreement_id)["in_force_date"]
    if pd.isna(date):
        raise ValueError(f"{agreement_id} has no date of entry into force")
    return formats.date(date, "day", lang)


def month_of(date: str, lang: str = "en") -> str:
    """'2020-01-31' -> 'January 2020'."""
    return formats.date(date, "month", lang)


# ----------------------------------------------------------------------------- trade
def annual_trade(reporter: str = "KAZ", lang: str = "en") -> pd.DataFrame:
    """Annual bilateral trade as one reporter records it, with IMF estimate marks."""
    t = trade.bilateral(reporter)
    tag = reporter.lower()
    estimated = []
    for ex, im in zip(t["exports_estimated"], t["imports_estimated"]):
        flags = [flow for flow, flag in (("exports", ex), ("imports", im))
                 if not pd.isna(flag) and bool(flag)]
        estimated.append(labels.text(f"ui.estimated.{'_'.join(flags) or 'none'}", lang))
    out = pd.DataFrame({
        f"exports_{tag}": t["exports"], f"imports_{tag}": t["imports"],  # SOURCE_COLUMNS
        "turnover": t["turnover"], "balance": t["balance"],
        "turnover_change": t["turnover_change_pct"], "imf_estimate": estimated,
    }, index=t.index)
    out.index.name = "year"
    return out


def shares_table(lang: str = "en") -> pd.DataFrame:
    s = trade.shares().rename(columns={"IRN_share_of_KAZ_trade_pct": "share_iran_in_kaz",
                                       "KAZ_share_of_IRN_trade_pct": "share_kaz_in_iran"})
    s.index.name = "year"
    return s


def regime_table(lang: str = "en") -> pd.DataFrame:
    r = trade.regime_averages("KAZ")
    regimes = trade.regimes()
    starts = [None if pd.isna(regimes.loc[k, "start"]) else
              Ref(references.anchor(regimes.loc[k, "start_event"]),
                  formats.date(regimes.loc[k, "start"], "day", lang)) for k in r.index]
    return pd.DataFrame({
        "regime": [labels.text(f"regime.{k}", lang) for k in r.index],
        "regime_begins": starts,
        "years": [f"{a}–{b}" for a, b in zip(r["first_year"], r["last_year"])],
        "mean_exports": r["exports"].values, "mean_imports": r["imports"].values,
        "mean_turnover": r["turnover"].values, "mean_share": r["share_pct"].values,
    })


def mirror_table(lang: str = "en") -> pd.DataFrame:
    m = trade.mirror()
    out = pd.DataFrame({
        "kz_ir_kaz": m["kaz_to_irn_exporter_fob"], "kz_ir_irn": m["kaz_to_irn_importer_cif"],
        "kz_ir_gap": m["kaz_to_irn_gap_pct"], "ir_kz_irn": m["irn_to_kaz_exporter_fob"],
        "ir_kz_kaz": m["irn_to_kaz_importer_cif"], "ir_kz_gap": m["irn_to_kaz_gap_pct"],
    }, index=m.index)
    out.index.name = "year"
    return out


def _stated(value, value_max, qualifier, lang: str, decimals: int = 1) -> str:
    """A stated figure as its source gives it: 'at least 340', 'about 500', '300–400'."""
    shown = formats.number(value, None if float(value) % 1 else 0, lang)
    if not pd.isna(value_max):
        shown += "–" + formats.number(value_max, None if float(value_max) % 1 else 0, lang)
    if qualifier in ("exact", "range") or pd.isna(qualifier):
        return shown
    return labels.text(f"stated.{qualifier}", lang, value=shown)


def trade_since(year: int, lang: str = "en") -> pd.DataFrame:
    """Every trade figure stated for a period from ``year`` on, whose statistics it is and
    what it covers, in date order (calendar and Iranian years apart, as the rows say)."""
    sel = registers.reported_trade()
    sel = sel[sel["period_start"].dt.year >= year].sort_values(["period_start", "figure_id"])
    goods = words("trade_reported", "coverage", sel["coverage"], lang)
    return pd.DataFrame({
        "period": sel["period_label"].values,
        "period_kind": words("trade_reported", "period_kind", sel["period_kind"], lang),
        "flow": words("trade_reported", "direction", sel["direction"], lang),
        "stated_value": [_stated(v, m, q, lang) for v, m, q in
                         zip(sel["value"], sel["value_max"], sel["qualifier"])],
        "statistics": [f"{s}; {g}" if c != "unspecified" else s for s, g, c in zip(
            words("trade_reported", "statistics_of", sel["statistics_of"], lang), goods,
            sel["coverage"])],
        "stated_by": sel["stated_by"].values,
        "source": [cite(k) for k in sel["source"]],
    }).reset_index(drop=True)


def events_since(start: str, categories, lang: str = "en") -> pd.DataFrame:
    """Events of some categories from a date on: date, what, and source."""
    ev = registers.events()
    ev = ev[(ev["date_from"] >= start) & ev["category"].isin(categories)].sort_values(
        ["date_from", "event_id"])
    return pd.DataFrame({
        "date": [when(r, lang) for _, r in ev.iterrows()],
        "entry": [references.ref(i, lang) for i in ev["event_id"]],
        "event": ev["event_en"].values, "source": [cite(k) for k in ev["source"]],
    })


def agreements_since(start: str, lang: str = "en") -> pd.DataFrame:
    """Documents signed from a date on, counted as the registers count them."""
    ag = registers.agreements()
    ag = ag[(ag["date_from"] >= start) & ag["part_of"].isna()].sort_values(
        ["date_from", "agreement_id"])
    counts = [formats.number(lo, 0, lang) if lo == hi else
              f"{formats.number(lo, 0, lang)}–{formats.number(hi, 0, lang)}"
              for lo, hi in zip(ag["documents_min"], ag["documents_max"])]
    return pd.DataFrame({
        "date": [when(r, lang) for _, r in ag.iterrows()],
        "entry": [references.ref(i, lang) for i in ag["agreement_id"]],
        "scope": words("agreements", "scope", ag["scope"], lang),
        "documents": counts, "source": [cite(k) for k in ag["source"]],
    })


def figures_of(topic: str, lang: str = "en") -> pd.DataFrame:
    """Stated figures of one topic (transport volumes, say), in date order."""
    fg = registers.figures()
    fg = fg[fg["topic"] == topic].sort_values(["period_start", "figure_id"], na_position="last")
    return pd.DataFrame({
        "entry": [references.ref(i, lang) for i in fg["figure_id"]],
        "period": fg["period_label"].values,
        "value": [_value(v, m, u, lang) for v, m, u in zip(fg["value"], fg["value_max"],
                                                            fg["unit"])],
        "stated_by": fg["stated_by"].values, "source": [cite(k) for k in fg["source"]],
    })


def forecasts_table(lang: str = "en") -> pd.DataFrame:
    """The authors' expectations, compact: each links to its entry below."""
    from ..analysis import forecasts

    reg = forecasts.register()
    where = [labels.text("ui.abstract", lang) if s == "abstract" else
             Ref(f"concordance-{s}-{int(p)}", labels.text(
                 "ui.paragraph_of", lang, section=labels.code("claims", "section", s, lang),
                 n=int(p))) for s, p in zip(reg["section"], reg["paragraph"])]
    return pd.DataFrame({
        "expectation": [Ref(f"forecast-{i.lower()}", t) for i, t in
                        zip(reg["forecast_id"], reg["statement"])],
        "where": where,
        "outcome": [Badge(labels.code("forecasts", "verdict", v, lang), FORECAST_BADGES[v])
                    for v in reg["verdict"]],
        "brief": reg["brief"].values,
    })


FORECAST_BADGES = {"borne out": "success", "partly borne out": "warning",
                   "not borne out": "danger", "too early to tell": "dark"}


# ------------------------------------------------------------------------- registers
def article_documents(lang: str = "en") -> pd.DataFrame:
    """Documents and events the article mentions, matched to the registers."""
    ag, ev = registers.in_article("agreements"), registers.in_article("events")
    rows = [(r["date_from"], references.ref(r["agreement_id"], lang), "agreement", when(r, lang),
             r["title_en"]) for _, r in ag.iterrows()]
    rows += [(r["date_from"], references.ref(r["event_id"], lang), "event", when(r, lang),
              r["event_en"]) for _, r in ev.iterrows()]
    rows.sort(key=lambda r: (r[0], str(r[1])))
    return pd.DataFrame([{"entry": ref, "register": labels.text(f"ui.register.{kind}", lang),
                          "date": date, "what": what} for _, ref, kind, date, what in rows])


def events(categories=None, start: str | None = None, end: str | None = None,
           lang: str = "en") -> pd.DataFrame:
    """Events of the timeline, optionally of some categories or within dates."""
    ev = registers.events()
    if categories:
        ev = ev[ev["category"].isin(categories)]
    if start:
        ev = ev[ev["date_from"] >= start]
    if end:
        ev = ev[ev["date_from"] <= end]
    return pd.DataFrame({
        "date": [when(r, lang) for _, r in ev.iterrows()],
        "category": words("events", "category", ev["category"], lang),
        "event": ev["event_en"].values, "source": [cite(k) for k in ev["source"]],
    }).reset_index(drop=True)


def agreement_counts(by: str, lang: str = "en") -> pd.DataFrame:
    out = registers.agreement_counts(by).rename(columns={
        "rows": "entries", "documents_min": "documents_min", "documents_max": "documents_max"})
    if by == "year":
        out.index = out.index.astype("Int64")
    else:
        out.index = words("agreements", by, out.index, lang)
    out.index.name = {"doc_type": "doc_type", "domain": "domain", "year": "year"}[by]
    return out


def key_facts(lang: str = "en") -> pd.DataFrame:
    """The introduction's key facts, each value written in the language."""
    rows = []
    for f in registers.key_facts():
        fact, src = f["fact"], f["source"]
        values = {k: v for k, v in f.items() if k not in ("fact", "source")}
        if "date" in values:
            values["date"] = when(values["date"], lang)
        numbers = ("value", "peak", "low", "high", "rows", "bilateral", "count",
                   *(("last",) if fact == "shares" else ()))  # elsewhere "last" is a year
        for k in numbers:
            if k in values and not isinstance(values[k], str):
                places = 1 if k in ("peak", "last") and fact == "shares" else 0
                values[k] = formats.number(values[k], places, lang)
        source = (references.ref(src, lang) if src[:1] in "EA" and src[1:].isdigit()
                  else Ref(f"registers-{src}", labels.text(f"ui.register_of.{src}", lang))
                  if src in ("agreements", "events") else cite(src))
        rows.append({"fact": labels.text(f"fact.{fact}", lang, **values),
                     "value": labels.text(f"fact.{fact}_value", lang, **values),
                     "source": source})
    return pd.DataFrame(rows)


def data_summary(lang: str = "en") -> pd.DataFrame:
    s = sources.summary()
    return pd.DataFrame({
        "resource": [PACKAGE.resource(n).get("title", n) for n in s["resource"]],
        "entries": s["rows"].values, "years": s["years"].values,
        "licence": [labels.text(f"licence.{n}", lang) for n in s["licence"]],
    })


def cited_works(lang: str = "en") -> pd.DataFrame:
    c = sources.cited_works()
    return pd.DataFrame({
        "work": [cite(k) for k in c["key"]], "title": c["title"].values,
        "identified": [labels.text(f"code.sources.identified.{v.replace(' ', '_')}", lang)
                       if isinstance(v, str) else None for v in c["identified"]],
        "confirmed": [labels.text("ui.yes" if v == "yes" else "ui.no", lang)
                      for v in c["confirmed"]],
    })


# ---------------------------------------------------------------------------- claims
def claims_of(section: str, lang: str = "en") -> pd.DataFrame:
    """The claims of one section, compact: each links to its card in the register."""
    sel = claims.register()
    sel = sel[sel["section"] == section]
    return pd.DataFrame({
        "statement": [references.Ref(references.anchor(c), s)
                      for c, s in zip(sel["claim_id"], sel["statement"])],
        "verdict": [verdict(v, lang) for v in sel["verdict"]],
        "brief": sel["brief"].values,
    }).reset_index(drop=True)


def verdict_counts(lang: str = "en") -> pd.DataFrame:
    counts = claims.verdict_counts()
    out = pd.DataFrame({"verdict": [verdict(v, lang) for v in counts.index],
                        "claims": counts.values.astype(int)})
    return out.set_index("verdict")


def verdicts_by_kind(lang: str = "en") -> pd.DataFrame:
    table = claims.by_type()
    out = table.copy()
    out.columns = [f"verdict.{c}" if c in claims.AUTHOR_VERDICTS else "all_claims"
                   for c in table.columns]
    out.index = words("claims", "claim_type", table.index, lang)
    out.index.name = "claim_type"
    return out


# ------------------------------------------------------------ the registers appendix
def _kinds(resource: str, field: str, row: pd.Series, lang: str) -> str:
    return labels.code(resource, field, row[field], lang)


def register_events(lang: str = "en") -> pd.DataFrame:
    """Every event of the timeline, in date order, each row an anchor."""
    ev = registers.events().sort_values(["date_from", "event_id"])
    return pd.DataFrame({
        "anchor": [references.anchor(i) for i in ev["event_id"]],
        "date": [when(r, lang) for _, r in ev.iterrows()],
        "what": [references.name(i, lang) for i in ev["event_id"]],
        "event": ev["event_en"].values,
        "category": words("events", "category", ev["category"], lang),
        "source": [cite(k) for k in ev["source"]],
    })


def register_agreements(lang: str = "en") -> pd.DataFrame:
    """Every document of the agreements register, in date order, each row an anchor."""
    ag = registers.agreements().sort_values(["date_from", "agreement_id"])
    counts = [formats.number(lo, 0, lang) if lo == hi else
              f"{formats.number(lo, 0, lang)}–{formats.number(hi, 0, lang)}"
              for lo, hi in zip(ag["documents_min"], ag["documents_max"])]
    return pd.DataFrame({
        "anchor": [references.anchor(i) for i in ag["agreement_id"]],
        "date": [when(r, lang) for _, r in ag.iterrows()],
        "document": ag["title_en"].values,
        "doc_type": words("agreements", "doc_type", ag["doc_type"], lang),
        "documents": counts,
        "status": words("agreements", "status", ag["status"], lang),
        "source": [cite(k) for k in ag["source"]],
    })


def _value(value, value_max, unit: str, lang: str) -> str:
    if value is None or pd.isna(value):
        return formats.MISSING
    shown = formats.number(value, None, lang) + ("" if pd.isna(value_max) else
                                                 "–" + formats.number(value_max, None, lang))
    return f"{shown} {labels.code('figures', 'unit', unit, lang)}"


def register_figures(lang: str = "en") -> pd.DataFrame:
    """Every figure stated by officials, the press or studies (not annual trade)."""
    fg = registers.figures().sort_values(["period_start", "figure_id"], na_position="last")
    return pd.DataFrame({
        "anchor": [references.anchor(i) for i in fg["figure_id"]],
        "what": [references.name(i, lang) for i in fg["figure_id"]],
        "period": fg["period_label"].values,
        "value": [_value(v, m, u, lang) for v, m, u in zip(fg["value"], fg["value_max"],
                                                            fg["unit"])],
        "stated_by": fg["stated_by"].values,
        "source": [cite(k) for k in fg["source"]],
    })


def register_trade(lang: str = "en") -> pd.DataFrame:
    """Every trade figure stated by officials and the press, in date order."""
    tr = registers.reported_trade().sort_values(["period_start", "figure_id"],
                                                na_position="last")
    period = [f"{p} ({k})" for p, k in zip(tr["period_label"],
                                            words("trade_reported", "period_kind",
                                                  tr["period_kind"], lang))]
    return pd.DataFrame({
        "anchor": [references.anchor(i) for i in tr["figure_id"]],
        "period": period,
        "flow": words("trade_reported", "direction", tr["direction"], lang),
        "usd_million": tr["value"].values,
        "goods": words("trade_reported", "coverage", tr["coverage"], lang),
        "stated_by": tr["stated_by"].values,
        "source": [cite(k) for k in tr["source"]],
    })

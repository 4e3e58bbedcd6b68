"""Reader-facing tables: the analysis layer's frames with human headers and units.

Every table the chapters show is built here, once; a notebook only wraps it in a
:class:`~kziran.presentation.tables.Table`. Headers are words, with units; values that
come from the registers keep their wording, with codes turned into words.
"""

from __future__ import annotations

import pandas as pd

from ..analysis import claims, registers, sources, trade

USD = "US$ million"
# Columns that show source values as the IMF gives them (written exactly to the CSVs).
SOURCE_COLUMNS = tuple(
    [f"{a}'s {flow} {b} ({USD})" for a, b in (("Kazakhstan", "Iran"), ("Iran", "Kazakhstan"))
     for flow in ("exports to", "imports from")]
    + [f"{d}, {who}'s record ({USD})" for d in ("KZ → IR", "IR → KZ")
       for who in ("Kazakhstan", "Iran")])


def _words(series: pd.Series) -> pd.Series:
    return series.astype("string").str.replace("_", " ")


def annual_trade(reporter: str = "KAZ") -> pd.DataFrame:
    """Annual bilateral trade as one reporter records it, with IMF estimate marks."""
    t = trade.bilateral(reporter)
    own, other = ("Kazakhstan", "Iran") if reporter == "KAZ" else ("Iran", "Kazakhstan")
    estimated = [", ".join(name for name, flag in (("exports", ex), ("imports", im))
                           if not pd.isna(flag) and bool(flag))
                 for ex, im in zip(t["exports_estimated"], t["imports_estimated"])]
    out = pd.DataFrame({
        f"{own}'s exports to {other} ({USD})": t["exports"],  # SOURCE_COLUMNS
        f"{own}'s imports from {other} ({USD})": t["imports"],
        f"Turnover ({USD})": t["turnover"],
        f"Balance ({USD})": t["balance"],
        "Change in turnover (%)": t["turnover_change_pct"],
        "IMF estimate": estimated,
    }, index=t.index)
    out.index.name = "Year"
    return out


def shares_table() -> pd.DataFrame:
    s = trade.shares().rename(columns={
        "IRN_share_of_KAZ_trade_pct": "Iran in Kazakhstan's goods trade (%)",
        "KAZ_share_of_IRN_trade_pct": "Kazakhstan in Iran's goods trade (%)",
    })
    s.index.name = "Year"
    return s


def regime_table() -> pd.DataFrame:
    r = trade.regime_averages("KAZ")
    regimes = trade.regimes()
    starts = ["–" if pd.isna(regimes.loc[k, "start"]) else
              f"{regimes.loc[k, 'start']:%Y-%m-%d} ({regimes.loc[k, 'start_event']})"
              for k in r.index]
    return pd.DataFrame({
        "Sanctions regime": r["label"],
        "Begins (event)": starts,
        "Years": [f"{a}–{b}" for a, b in zip(r["first_year"], r["last_year"])],
        f"Mean exports ({USD})": r["exports"],
        f"Mean imports ({USD})": r["imports"],
        f"Mean turnover ({USD})": r["turnover"],
        "Mean share of Kazakh trade (%)": r["share_pct"],
    }).reset_index(drop=True)


def mirror_table() -> pd.DataFrame:
    m = trade.mirror()

    def flag(col):
        return m[col].map(lambda v: "e" if v is True or (not pd.isna(v) and bool(v)) else "")

    out = pd.DataFrame({
        f"KZ → IR, Kazakhstan's record ({USD})": m["kaz_to_irn_exporter_fob"],
        f"KZ → IR, Iran's record ({USD})": m["kaz_to_irn_importer_cif"],
        "KZ → IR, gap (%)": m["kaz_to_irn_gap_pct"],
        f"IR → KZ, Iran's record ({USD})": m["irn_to_kaz_exporter_fob"],
        "Iran's record an IMF estimate": flag("irn_to_kaz_exporter_estimated"),
        f"IR → KZ, Kazakhstan's record ({USD})": m["irn_to_kaz_importer_cif"],
        "IR → KZ, gap (%)": m["irn_to_kaz_gap_pct"],
    }, index=m.index)
    out.index.name = "Year"
    return out


def reported_since(year: int) -> pd.DataFrame:
    """Official and press figures for periods the IMF extract does not cover."""
    sel = registers.reported_trade()
    sel = sel[sel["period_start"].dt.year >= year].sort_values(["period_start", "figure_id"])
    return pd.DataFrame({
        "Id": sel["figure_id"],
        "Period": sel["period_label"],
        "Kind of period": _words(sel["period_kind"]),
        "Flow": sel["direction"].map({"total": "turnover", "kaz_to_irn": "KZ → IR",
                                      "irn_to_kaz": "IR → KZ"}),
        USD: sel["value"],
        "Goods covered": _words(sel["coverage"]),
        "Qualifier": _words(sel["qualifier"]),
        "Stated by": sel["stated_by"],
        "Source": sel["source"],
    }).reset_index(drop=True)


def article_documents() -> pd.DataFrame:
    """Documents and events the article mentions, matched to the registers."""
    ag, ev = registers.in_article("agreements"), registers.in_article("events")
    rows = [{"Id": r["agreement_id"], "Register": "agreements",
             "Date": registers.date_label(r), "What": r["title_en"]} for _, r in ag.iterrows()]
    rows += [{"Id": r["event_id"], "Register": "events",
              "Date": registers.date_label(r), "What": r["event_en"]} for _, r in ev.iterrows()]
    return pd.DataFrame(rows).sort_values("Id").reset_index(drop=True)


def events(categories=None, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Events of the timeline, optionally of some categories or within dates."""
    ev = registers.events()
    if categories:
        ev = ev[ev["category"].isin(categories)]
    if start:
        ev = ev[ev["date_from"] >= start]
    if end:
        ev = ev[ev["date_from"] <= end]
    return pd.DataFrame({
        "Id": ev["event_id"], "Date": [registers.date_label(r) for _, r in ev.iterrows()],
        "Category": ev["category"], "Event": ev["event_en"], "Source": ev["source"],
    }).reset_index(drop=True)


def agreement_counts(by: str) -> pd.DataFrame:
    heading = {"doc_type": "Type of document", "domain": "Domain", "year": "Year"}[by]
    out = registers.agreement_counts(by).rename(columns={
        "rows": "Register rows", "documents_min": "Documents (lowest count)",
        "documents_max": "Documents (highest count)"})
    out.index = _words(pd.Series(out.index.astype("string"), index=out.index)).values
    out.index.name = heading
    return out


def key_facts() -> pd.DataFrame:
    return registers.key_facts().rename(columns={"fact": "Fact", "value": "Value",
                                                 "source": "Source"})


def data_summary() -> pd.DataFrame:
    return sources.summary().rename(columns={"resource": "Resource", "file": "File",
                                             "rows": "Rows", "years": "Years",
                                             "licence": "Licence"})


def cited_works() -> pd.DataFrame:
    return sources.cited_works().rename(columns={"key": "Key", "author": "Author",
                                                 "year": "Year", "title": "Title",
                                                 "identified": "Identified",
                                                 "confirmed": "Details confirmed"})


def claims_of(section: str) -> pd.DataFrame:
    """The claims of one section, compact, for its chapter."""
    sel = claims.register()
    sel = sel[sel["section"] == section]
    recomputed = ("Values recomputed from the data: " + sel["computed_from"] + ".").fillna("")
    return pd.DataFrame({
        "Claim": sel["claim_id"], "What the article says (our words)": sel["statement"],
        "Verdict": sel["verdict"], "Why": (sel["note"] + " " + recomputed).str.strip(),
    }).reset_index(drop=True)


def verdict_counts() -> pd.DataFrame:
    out = claims.verdict_counts().rename("Claims").to_frame()
    out.index.name = "Verdict"
    return out


def verdicts_by_kind() -> pd.DataFrame:
    out = claims.by_type()
    out.index = _words(pd.Series(out.index, index=out.index)).values
    out.index.name = "Kind of claim"
    out.columns = [c.capitalize() if c != "all" else "All" for c in out.columns]
    return out


def concordance_markdown(section: str) -> str:
    """The article's paragraphs of one section, each with a target that the chapters link
    back to, what it says (our words), where the edition retells it and its claims."""
    from ..data import load
    from .tables import md_escape

    df = load("concordance")
    blocks = []
    for r in df[df["section"] == section].itertuples(index=False):
        label = r.anchor.split("#", 1)[1]
        claims_ = ", ".join(f"{{ref}}`{c} <claim-{c.lower()}>`" for c in ("" if pd.isna(r.claims) else r.claims).split())
        blocks.append(
            f"(concordance-{section}-{r.paragraph})=\n"
            f"**¶{r.paragraph}** ({md_escape(r.starts)} …) {md_escape(r.summary)} "
            f"Retold in {{ref}}`{label}`." + (f" Claims: {claims_}." if claims_ else ""))
    return "\n\n".join(blocks)


BADGES = {"supported": "success", "partly supported": "warning", "contradicted": "danger",
          "not verifiable": "dark", "inconsistent": "danger", "consistent": "info"}


def claim_cards() -> str:
    """The claims register as one card per claim: the statement, the verdict as a badge (its
    word, not colour alone), section, kind, period and value; evidence, reasons and what
    the check recomputed in a collapsed block. The classes of each card name its verdict,
    section and kind, for the page's filters. Text from the register is escaped."""
    from .tables import fmt, md_escape

    def number(v):
        return fmt(v, 1 if v % 1 else 0)

    reg = claims.register()
    cards = []
    for r in reg.itertuples(index=False):
        slug = {k: v.replace(" ", "-").replace("_", "-") for k, v in
                (("verdict", r.verdict), ("section", r.section), ("kind", r.claim_type))}
        facts = [r.section, r.claim_type.replace("_", " ")]
        if not pd.isna(r.period):
            facts.append(f"period {r.period}")
        if not pd.isna(r.value):
            value = number(r.value) + ("" if pd.isna(r.value_max) else "–" + number(r.value_max))
            facts.append(f"value {value} {'' if pd.isna(r.unit) else r.unit}".strip())
        computed = "" if pd.isna(r.computed_from) else (
            f"\n\n**Recomputed from the data:** {md_escape(r.computed_from)} "
            f"(verdict: {md_escape(r.computed_verdict)})")
        cards.append(
            f"(claim-{r.claim_id.lower()})=\n"
            f"::::{{container}} kziran-claim verdict-{slug['verdict']} "
            f"section-{slug['section']} kind-{slug['kind']}\n"
            f"**{r.claim_id}** {{bdg-{BADGES[r.verdict]}}}`{r.verdict}` "
            f"{md_escape(' · '.join(facts))}\n\n{md_escape(r.statement)}\n\n"
            f":::{{dropdown}} Why this verdict, and the evidence\n"
            f"{md_escape(r.note)}\n\n**Evidence:** {md_escape(r.evidence)}{computed}\n"
            f":::\n::::")
    return "\n\n".join(cards)

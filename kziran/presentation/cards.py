"""Pages made of blocks rather than tables: the claim cards and the concordance.

Each claim is a card: its number and verdict (a coloured label with its word), what it
states, our statement of it and the reason in brief; opened, the full rationale, the
evidence as named links and, where the verdict follows from data, what the check
recomputed, in words. The classes of each card name its verdict, section and kind, for
the page's filters. Text from the registers is escaped: it is data, never markup.
"""

from __future__ import annotations

import re

import pandas as pd

from .. import formats, labels
from ..analysis import claims
from ..data import load
from . import references
from .tables import md_escape
from .views import BADGES, verdict

UNITS_WITHOUT_VALUE = ("date",)


def _number(value: float, lang: str) -> str:
    return formats.number(value, 1 if abs(value) < 100 and value % 1 else 0, lang)


def period_words(text, lang: str = "en") -> str:
    """A claim's period ('2013', '2013-02', '2006-2008', '2019-12/2020-01') in words."""
    if text is None or pd.isna(text):
        return ""
    text = str(text)
    if "/" in text:
        return " – ".join(period_words(t, lang) for t in text.split("/", 1))
    if re.fullmatch(r"\d{4}-\d{4}", text):
        return text.replace("-", "–")
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return formats.date(f"{text}-01", "month", lang)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return formats.date(text, "day", lang)
    return text


def value_words(value, value_max, unit, lang: str = "en") -> str:
    """The number a claim states, with its unit: 'US$ 600–700 million'."""
    if value is None or pd.isna(value) or unit in UNITS_WITHOUT_VALUE:
        return ""
    shown = _number(value, lang) + ("" if value_max is None or pd.isna(value_max)
                                     else "–" + _number(value_max, lang))
    return labels.text(f"unit_value.{unit}", lang, value=shown)


def _miss(dev: float, lang: str) -> str:
    if dev == 0:
        return labels.text("check.covers", lang)
    key = "check.above" if dev > 0 else "check.below"
    return labels.text(key, lang, pct=formats.number(abs(dev) * 100, 0, lang))


def _md(key: str, lang: str, markup: dict | None = None, **plain) -> str:
    """A label as Markdown: its words and ``plain`` fields escaped, ``markup`` fields (links
    the package writes) inserted as they are."""
    markup = markup or {}
    text = md_escape(labels.text(key, lang, **plain, **{k: f"\x00{k}\x00" for k in markup}))
    for k, v in markup.items():
        text = text.replace(f"\x00{k}\x00", v)
    return text


def _series_line(s: dict, lang: str) -> str:
    kind = s["kind"]
    if kind in ("event", "agreement"):
        date = formats.date_range(s["date_from"], s["date_to"], s["precision"], lang,
                                  unknown=labels.text("ui.date_unknown", lang))
        return _md("check.row_date", lang, {"name": references.ref(s["ref"], lang).markdown()},
                   date=date)
    if kind in ("reported", "figure"):
        return _md("check.row_value", lang,
                   {"name": references.ref(s["ref"], lang).markdown()},
                   value=_number(s["values"][0], lang), miss=_miss(s["deviations"][0], lang))
    fields = {"source": labels.text(f"check.source.{s['reporter']}", lang),
              "measure": labels.text(f"check.measure.{s['measure']}", lang),
              "first": s["years"][0], "last": s["years"][-1],
              "role": labels.text("check.relied" if s["relied"] else "check.caveat", lang)}
    if kind == "dots-ratio":
        return _md("check.ratio", lang, value=formats.number(s["values"][0], 2, lang),
                   miss=_miss(s["deviations"][0], lang), **fields)
    if kind == "dots-pct":
        return _md("check.pct", lang, value=formats.number(s["values"][0], 1, lang), **fields)
    if len(s["values"]) > 1:  # every year judged
        years = "; ".join(f"{y}: {_number(v, lang)} ({_miss(d, lang)})"
                          for y, v, d in zip(s["years"], s["values"], s["deviations"]))
        return _md("check.years", lang, values=years, **fields)
    if s["stat"] != "one":
        return _md("check.level_stat", lang, value=_number(s["values"][0], lang),
                   stat=labels.text(f"check.stat.{s['stat']}", lang),
                   miss=_miss(s["deviations"][0], lang), **fields)
    return _md("check.level", lang, value=_number(s["values"][0], lang),
               miss=_miss(s["deviations"][0], lang), **fields)


def recomputed(series: list[dict], lang: str = "en") -> list[str]:
    """What a claim's check recomputed, one sentence of words per series (Markdown)."""
    return [_series_line(s, lang) for s in series]


def claim_cards(lang: str = "en") -> str:
    """The claims register as one card per claim (see the module's docstring)."""
    reg = claims.register()
    cards = []
    for r in reg.itertuples(index=False):
        slug = {k: v.replace(" ", "-").replace("_", "-") for k, v in
                (("verdict", r.verdict), ("section", r.section), ("kind", r.claim_type))}
        facts = [labels.code("claims", "section", r.section, lang),
                 labels.code("claims", "claim_type", r.claim_type, lang),
                 period_words(r.period, lang), value_words(r.value, r.value_max, r.unit, lang)]
        number = labels.text("ui.claim_title", lang, n=int(r.claim_id[1:]))
        evidence = "; ".join(e.markdown() for e in references.evidence(r.evidence, lang))
        checked = recomputed(r.computed_series, lang)
        check = "" if not checked else (
            f"\n\n**{md_escape(labels.text('card.recomputed', lang))}** " + " ".join(checked)
            + " " + _md("card.recomputed_verdict", lang,
                        verdict=labels.code("claims", "verdict", r.computed_verdict, lang)))
        brief = "" if pd.isna(r.brief) else (
            f"\n\n*{md_escape(labels.text('card.brief', lang))}* {md_escape(r.brief)}")
        cards.append(
            f"(claim-{r.claim_id.lower()})=\n"
            f"::::{{container}} kziran-claim verdict-{slug['verdict']} "
            f"section-{slug['section']} kind-{slug['kind']}\n"
            f"**{md_escape(number)}** {verdict(r.verdict, lang).markdown()} "
            f"{md_escape(' · '.join(f for f in facts if f))}\n\n{md_escape(r.statement)}"
            f"{brief}\n\n"
            f":::{{dropdown}} {md_escape(labels.text('card.why', lang))}\n"
            f"{md_escape(r.note)}\n\n**{md_escape(labels.text('card.evidence', lang))}** "
            f"{evidence}{check}\n:::\n::::")
    return "\n\n".join(cards)


def _test_line(t, lang: str) -> str:
    """One numeric test of a forecast, in words (Markdown)."""
    held = labels.text("forecast.held" if t.held else "forecast.failed", lang)
    if t.kind == "atleast":
        reporter, year = t.second.split(":")[1:]
        return _md("forecast.atleast", lang, {"row": references.ref(t.first, lang).markdown()},
                   value=_number(t.values[0], lang), level=_number(t.values[1], lang),
                   source=labels.text(f"check.source.{reporter}", lang), year=year, held=held)
    return _md(f"forecast.{t.kind}", lang, {"earlier": references.ref(t.first, lang).markdown(),
                                             "later": references.ref(t.second, lang).markdown()},
               a=_number(t.values[0], lang), b=_number(t.values[1], lang), held=held)


def forecast_cards(lang: str = "en") -> str:
    """The register of the authors' expectations, one card each (as the claim cards)."""
    from ..analysis import forecasts
    from .views import FORECAST_BADGES

    reg = forecasts.register()
    cards = []
    for r in reg.itertuples(index=False):
        badge = (f"{{bdg-{FORECAST_BADGES[r.verdict]}}}"
                 f"`{labels.code('forecasts', 'verdict', r.verdict, lang)}`")
        where = (md_escape(labels.text("ui.abstract", lang)) if r.section == "abstract" else
                 references.Ref(f"concordance-{r.section}-{int(r.paragraph)}", labels.text(
                     "ui.paragraph_of", lang, n=int(r.paragraph),
                     section=labels.code("claims", "section", r.section, lang))).markdown())
        evidence = "; ".join(e.markdown() for e in references.evidence(r.evidence, lang))
        tests = " ".join(_test_line(t, lang) for t in r.computed_tests)
        check = "" if not tests else (
            f"\n\n**{md_escape(labels.text('card.recomputed', lang))}** {tests} "
            + _md("card.recomputed_outcome", lang,
                  verdict=labels.code("forecasts", "verdict", r.computed_verdict, lang)))
        cards.append(
            f"(forecast-{r.forecast_id.lower()})=\n"
            f"::::{{container}} kziran-claim kziran-forecast\n"
            f"**{md_escape(labels.text('ui.forecast_title', lang, n=int(r.forecast_id[1:])))}** "
            f"{badge} {where}\n\n{md_escape(r.statement)}\n\n"
            f"*{md_escape(labels.text('card.brief', lang))}* {md_escape(r.brief)}\n\n"
            f":::{{dropdown}} {md_escape(labels.text('card.why_forecast', lang))}\n"
            f"*{md_escape(labels.text('card.borne_out_if', lang))}* {md_escape(r.borne_out_if)}"
            f"\n\n{md_escape(r.note)}\n\n**{md_escape(labels.text('card.evidence', lang))}** "
            f"{evidence}{check}\n:::\n::::")
    return "\n\n".join(cards)


def concordance_markdown(section: str, lang: str = "en") -> str:
    """The article's paragraphs of one section, each with a target that the chapters link
    back to, its first words in Kazakh, what it says (our words), where the edition retells
    it and its claims."""
    df = load("concordance")
    blocks = []
    for r in df[df["section"] == section].itertuples(index=False):
        label = r.anchor.split("#", 1)[1]
        ids = [] if pd.isna(r.claims) else str(r.claims).split()
        claims_ = ("; ".join(references.ref(c, lang).markdown() for c in ids))
        starts = str(r.starts).replace("`", "'")
        blocks.append(
            f"(concordance-{section}-{r.paragraph})=\n"
            f"**¶{r.paragraph}** ({{kk}}`{starts} …`) {md_escape(r.summary)} "
            + md_escape(labels.text("concordance.retold", lang)) + f" {{ref}}`{label}`."
            + (f" {md_escape(labels.text('concordance.claims', lang))} {claims_}."
               if claims_ else ""))
    return "\n\n".join(blocks)


__all__ = ["BADGES", "claim_cards", "concordance_markdown", "forecast_cards", "period_words",
           "recomputed", "value_words"]

"""The book's figures: one style, labelled axes with units, and an alt text from the data.

Every function draws one figure in one language (every word from :mod:`kziran.labels`,
numbers and dates in that language's conventions) and returns a :class:`Figure`: a
deterministic PNG whose alt text, computed from the same data as the picture, is stored in
the PNG itself (the book's Sphinx extension copies it into the page). Series differ by line
style or marker as well as by colour, so that colour never carries meaning alone; figures
are white cards in both themes. They are drawn small (6.4 inches wide) with type of at
least 9.5 points, so that their words stay readable when a phone shrinks them, and every
figure of the book opens full size.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from .. import formats, labels
from ..paths import PACKAGE

STYLE = PACKAGE / "presentation" / "book.mplstyle"
COLOURS = {"exports": "#1b6ca8", "imports": "#d1495b", "turnover": "#2e2e2e",
           "mirror": "#6f6f6f", "claim": "#e69f00", "milestone": "#6a4c93"}
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
WIDTH = 6.4  # inches
SMALL = 9.5  # points: the smallest type of any figure


class Figure:
    """A deterministic PNG of a matplotlib figure, with its alt text inside the PNG."""

    def __init__(self, fig, alt: str, dpi: int = 144):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white", bbox_inches="tight",
                    metadata={"Software": None, "Description": alt})
        plt.close(fig)
        self.png = buf.getvalue()
        self.alt = alt

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"Figure: {self.alt}"


def use_style() -> None:
    plt.style.use(str(STYLE))


def _fractional_year(date: pd.Timestamp) -> float:
    return date.year + (date.dayofyear - 1) / 365.25


def _t(key: str, lang: str, **fields) -> str:
    return labels.text(f"figure.{key}", lang, **fields)


def _n(value: float, lang: str) -> str:
    return formats.number(value, 0, lang)


def trade_lines(table: pd.DataFrame, milestones: pd.DataFrame, reporter: str,
                lang: str = "en") -> Figure:
    """Exports, imports and turnover by year, with the sanctions milestones marked."""
    use_style()
    fig, ax = plt.subplots(figsize=(WIDTH, 4.6))
    series = (("turnover", _t("turnover", lang), "-", None, 2.2),
              ("exports", _t(f"exports.{reporter}", lang), "--", "o", 1.4),
              ("imports", _t(f"imports.{reporter}", lang), ":", "s", 1.4))
    for col, label, style, marker, width in series:
        ax.plot(table.index, table[col], label=label, color=COLOURS[col], linestyle=style,
                marker=marker, markersize=3.5, linewidth=width)
    above = matplotlib.transforms.blended_transform_factory(ax.transData, ax.transAxes)
    marks, keys = [], []
    for i, row in enumerate(milestones.itertuples(), start=1):
        x = _fractional_year(row.date)
        mark = f"{labels.text(f'regime.{row.regime}', lang)} ({formats.date(row.date, 'month', lang)})"
        marks.append(mark)
        ax.axvline(x, color=COLOURS["milestone"], linestyle="-.", linewidth=0.9)
        # A number above the plotting area marks each line; the key below names them, so
        # the labels never hide the data nor widen the figure.
        ax.text(x, 1.01, str(i), transform=above, fontsize=SMALL, fontweight="bold",
                color=COLOURS["milestone"], va="bottom", ha="center")
        keys.append(matplotlib.lines.Line2D([], [], color=COLOURS["milestone"], linestyle="-.",
                                            linewidth=0.9, label=f"{i}  {mark}"))
    ax.set_xlabel(_t("year", lang))
    ax.set_ylabel(_t("usd_current", lang))
    ax.set_title(_t(f"trade_title.{reporter}", lang), pad=18)
    ax.set_xlim(table.index.min() - 0.5, table.index.max() + 0.5)
    ax.set_ylim(0, table["turnover"].max() * 1.05)
    ax.add_artist(ax.legend(loc="upper left", fontsize=SMALL, frameon=False))
    ax.legend(handles=keys, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
              fontsize=SMALL, frameon=False, handlelength=1.5)
    peak, last = int(table["turnover"].idxmax()), int(table.index.max())
    alt = _t(f"trade_alt.{reporter}", lang, first=int(table.index.min()), last=last,
             peak=_n(table.loc[peak, "turnover"], lang), peak_year=peak,
             last_value=_n(table.loc[last, "turnover"], lang), marks="; ".join(marks))
    return Figure(fig, alt)


def mirror_lines(mirror: pd.DataFrame, lang: str = "en") -> Figure:
    """Each direction of trade as its exporter and as its importer recorded it."""
    use_style()
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 3.4), sharex=True)
    for ax, tag in zip(axes, ("kaz_to_irn", "irn_to_kaz")):
        ax.plot(mirror.index, mirror[f"{tag}_exporter_fob"], color=COLOURS["exports"],
                label=_t(f"mirror.{tag}.exporter", lang))
        ax.plot(mirror.index, mirror[f"{tag}_importer_cif"], color=COLOURS["imports"],
                linestyle="--", label=_t(f"mirror.{tag}.importer", lang))
        est = mirror[mirror[f"{tag}_exporter_estimated"].fillna(False).astype(bool)]
        if len(est):
            ax.scatter(est.index, est[f"{tag}_exporter_fob"], s=14, color=COLOURS["exports"],
                       marker="o", facecolors="none", label=_t("imf_estimate", lang))
        ax.set_title(_t(f"mirror.{tag}.title", lang), fontsize=10)
        ax.set_xlabel(_t("year", lang))
        ax.tick_params(labelsize=SMALL)
        ax.legend(fontsize=SMALL, frameon=False, loc="upper left")
    axes[0].set_ylabel(_t("usd", lang))
    flags = mirror["irn_to_kaz_exporter_estimated"].fillna(False).astype(bool)
    years = mirror.index[flags]
    alt = _t("mirror_alt", lang, first=int(mirror.index.min()), last=int(mirror.index.max()))
    if len(years):
        alt += " " + _t("mirror_alt_estimates", lang, first=int(years.min()),
                        last=int(years.max()))
    return Figure(fig, alt)


def timeline(events: pd.DataFrame, documents_per_year: pd.Series, first: int,
             last: int, lang: str = "en") -> Figure:
    """Documents signed per year (bars) and the events by category (marks)."""
    use_style()
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(WIDTH, 5.2), sharex=True,
                                   gridspec_kw={"height_ratios": [1, 1.4]})
    years = range(first, last + 1)
    ax1.bar(list(years), [documents_per_year.get(y, 0) for y in years],
            color=COLOURS["exports"])
    ax1.set_ylabel(_t("documents_signed", lang))
    ax1.set_title(_t("timeline_title", lang))
    cats = sorted(events["category"].unique())
    names = [labels.code("events", "category", c, lang) for c in cats]
    for i, cat in enumerate(cats):
        sel = events[events["category"] == cat]
        ax2.scatter([_fractional_year(d) for d in sel["date_from"]], [i] * len(sel), s=22,
                    marker=MARKERS[i % len(MARKERS)])
    ax2.set_yticks(range(len(cats)), names)
    ax2.tick_params(labelsize=SMALL)
    ax2.set_xlabel(_t("year", lang))
    ax2.set_xlim(first - 0.5, last + 1)
    busiest = int(documents_per_year.idxmax())
    alt = _t("timeline_alt", lang, first=first, last=last, busiest=busiest,
             most=int(documents_per_year.max()), events=len(events), categories=", ".join(names))
    return Figure(fig, alt)


def claims_vs_data(points: pd.DataFrame, series: pd.Series, mirror: pd.Series,
                   lang: str = "en") -> Figure:
    """The article's trade figures (bars for years, bands for ranges) against DOTS; each
    is labelled with the number of its claim."""
    use_style()
    fig, ax = plt.subplots(figsize=(WIDTH, 3.9))
    ax.plot(series.index, series.values, color=COLOURS["turnover"],
            label=_t("turnover_kaz", lang))
    ax.plot(mirror.index, mirror.values, color=COLOURS["mirror"], linestyle="--",
            label=_t("turnover_irn", lang))
    for row in points.itertuples():
        if row.lo != row.hi:
            ax.fill_between([row.x0, row.x1], row.lo, row.hi, color=COLOURS["claim"],
                            alpha=0.3, linewidth=0, hatch="//")
        else:
            ax.plot([row.x0, row.x1], [row.lo, row.hi], color=COLOURS["claim"], linewidth=3)
        ax.annotate(str(int(row.claim_id[1:])), (row.x1, row.hi), fontsize=SMALL,
                    xytext=(2, 2), textcoords="offset points")
    ax.plot([], [], color=COLOURS["claim"], linewidth=3, label=_t("article_figures", lang))
    ax.set_xlabel(_t("year", lang))
    ax.set_ylabel(_t("usd", lang))
    ax.set_title(_t("claims_title", lang))
    ax.legend(fontsize=SMALL, frameon=False, loc="upper right")
    verdicts = ", ".join(
        labels.text("ui.claim_n", lang, n=int(c[1:])) + " "
        + labels.code("claims", "verdict", v, lang)
        for c, v in zip(points["claim_id"], points["verdict"]))
    alt = _t("claims_alt", lang, n=len(points), first=int(series.index.min()),
             last=int(series.index.max()), verdicts=verdicts)
    return Figure(fig, alt)


def whole_period(kaz: pd.Series, irn: pd.Series, irn_estimated: pd.Series,
                 stated: pd.DataFrame, written: pd.Timestamp, lang: str = "en") -> Figure:
    """Turnover from the first year of the IMF series to the latest stated year: the IMF
    series of both reporters (Iran's estimated years hollow), the full-year figures stated
    since, each kind of source its own marker, and the article's date dividing the years it
    covers from those after it. ``stated``: year, value, lower_bound (bool), kind."""
    use_style()
    fig, ax = plt.subplots(figsize=(WIDTH, 4.2))
    first, last = int(kaz.index.min()), int(max(stated["year"].max(), kaz.index.max()))
    cut = _fractional_year(written)
    ax.axvspan(cut, last + 0.6, color="#f1ecf7", zorder=0)
    ax.axvline(cut, color=COLOURS["milestone"], linestyle="-.", linewidth=0.9)
    ax.text(cut - 0.3, 0.97, _t("whole.article", lang), transform=ax.get_xaxis_transform(),
            ha="right", va="top", fontsize=SMALL, color=COLOURS["milestone"])
    ax.text(cut + 0.25, 0.97, _t("whole.after", lang), transform=ax.get_xaxis_transform(),
            ha="left", va="top", rotation=90, fontsize=SMALL, color=COLOURS["milestone"])
    ax.plot(kaz.index, kaz.values, color=COLOURS["turnover"], label=_t("turnover_kaz", lang))
    ax.plot(irn.index, irn.values, color=COLOURS["mirror"], linestyle="--",
            label=_t("turnover_irn", lang))
    est = irn[irn_estimated.reindex(irn.index).fillna(False).astype(bool)]
    ax.scatter(est.index, est.values, s=16, facecolors="none", edgecolors=COLOURS["mirror"],
               label=_t("whole.estimated", lang))
    top = max(kaz.max(), stated["value"].max()) * 1.12
    styles = {"official": ("D", COLOURS["exports"]), "statistics": ("o", COLOURS["turnover"]),
              "press": ("s", COLOURS["imports"])}
    for kind, (marker, colour) in styles.items():
        sel = stated[stated["kind"] == kind]
        if len(sel):
            ax.scatter(sel["year"], sel["value"], marker=marker, s=36, color=colour, zorder=3,
                       label=_t(f"whole.stated.{kind}", lang))
        for row in sel[sel["lower_bound"]].itertuples():  # "more than": an arrow upwards
            ax.annotate("", xy=(row.year, row.value + 0.13 * top),
                        xytext=(row.year, row.value + 0.025 * top),
                        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.2})
    ax.set_xlim(first - 0.6, last + 0.6)
    ax.set_ylim(0, top)
    ax.set_xlabel(_t("year", lang))
    ax.set_ylabel(_t("usd", lang))
    ax.set_title(_t("whole.title", lang, first=first, last=last))
    ax.legend(fontsize=SMALL, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.14),
              ncol=2)
    alt = _t("whole.alt", lang, first=first, last=last, dots_last=int(kaz.index.max()),
             peak=_n(kaz.max(), lang), peak_year=int(kaz.idxmax()),
             stated=", ".join(f"{int(r.year)}: {_n(r.value, lang)}" for r in stated.itertuples()))
    return Figure(fig, alt)

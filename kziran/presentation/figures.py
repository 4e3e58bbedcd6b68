"""The book's figures: one style, labelled axes with units, and an alt text from the data.

Every function returns a :class:`Figure`: a deterministic PNG whose alt text, computed from
the same data as the picture, is stored in the PNG itself (the book's Sphinx extension
copies it into the page). Series differ by line style or marker as well as by colour, so
that colour never carries meaning alone; figures are white cards in both themes.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from ..paths import PACKAGE

STYLE = PACKAGE / "presentation" / "book.mplstyle"
COLOURS = {"exports": "#1b6ca8", "imports": "#d1495b", "turnover": "#2e2e2e",
           "mirror": "#6f6f6f", "claim": "#e69f00", "milestone": "#6a4c93"}
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


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


def trade_lines(table: pd.DataFrame, milestones: pd.DataFrame, reporter: str) -> Figure:
    """Exports, imports and turnover by year, with the sanctions milestones marked."""
    use_style()
    fig, ax = plt.subplots(figsize=(8, 4.8))
    series = (("turnover", "Turnover", "-", None, 2.2),
              ("exports", f"{reporter}'s exports (FOB)", "--", "o", 1.4),
              ("imports", f"{reporter}'s imports (CIF)", ":", "s", 1.4))
    for col, label, style, marker, width in series:
        ax.plot(table.index, table[col], label=label, color=COLOURS[col], linestyle=style,
                marker=marker, markersize=3.5, linewidth=width)
    above = matplotlib.transforms.blended_transform_factory(ax.transData, ax.transAxes)
    for row in milestones.itertuples():
        x = _fractional_year(row.date)
        ax.axvline(x, color=COLOURS["milestone"], linestyle="-.", linewidth=0.9)
        # Labels sit above the plotting area, so they never hide the data.
        ax.text(x, 1.01, f"{row.label} ({row.date:%b %Y})", transform=above, rotation=25,
                fontsize=7.5, color=COLOURS["milestone"], va="bottom", ha="left")
    ax.set_xlabel("Year")
    ax.set_ylabel("US$ million (current prices)")
    ax.set_title(f"Kazakhstan–Iran goods trade as reported by {reporter}", pad=62)
    ax.set_xlim(table.index.min() - 0.5, table.index.max() + 0.5)
    ax.set_ylim(0, table["turnover"].max() * 1.05)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    peak, last = int(table["turnover"].idxmax()), int(table.index.max())
    alt = (f"Line chart of Kazakhstan–Iran trade {table.index.min()}–{last} in {reporter}'s "
           f"statistics: turnover (solid line) rises to a peak of "
           f"{table.loc[peak, 'turnover']:,.0f} million US dollars in {peak} and falls to "
           f"{table.loc[last, 'turnover']:,.0f} million in {last}; exports dashed, imports "
           "dotted; dash-dotted vertical lines mark "
           + "; ".join(f"{r.label} ({r.date:%B %Y})" for r in milestones.itertuples()) + ".")
    return Figure(fig, alt)


def mirror_lines(mirror: pd.DataFrame) -> Figure:
    """Each direction of trade as its exporter and as its importer recorded it."""
    use_style()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharex=True)
    panels = (("kaz_to_irn", "Kazakhstan → Iran", "Kazakhstan's exports (FOB)",
               "Iran's imports (CIF)"),
              ("irn_to_kaz", "Iran → Kazakhstan", "Iran's exports (FOB)",
               "Kazakhstan's imports (CIF)"))
    for ax, (tag, title, exp_label, imp_label) in zip(axes, panels):
        ax.plot(mirror.index, mirror[f"{tag}_exporter_fob"], color=COLOURS["exports"],
                label=exp_label)
        ax.plot(mirror.index, mirror[f"{tag}_importer_cif"], color=COLOURS["imports"],
                linestyle="--", label=imp_label)
        est = mirror[mirror[f"{tag}_exporter_estimated"].fillna(False).astype(bool)]
        if len(est):
            ax.scatter(est.index, est[f"{tag}_exporter_fob"], s=14, color=COLOURS["exports"],
                       marker="o", facecolors="none", label="IMF estimate")
        ax.set_title(title)
        ax.set_xlabel("Year")
        ax.legend(fontsize=7.5, frameon=False, loc="upper left")
    axes[0].set_ylabel("US$ million")
    flags = mirror["irn_to_kaz_exporter_estimated"].fillna(False).astype(bool)
    years = mirror.index[flags]
    alt = (f"Two line charts, {mirror.index.min()}–{mirror.index.max()}: Kazakhstan-to-Iran "
           "flows as recorded by each side, and Iran-to-Kazakhstan flows as recorded by each "
           "side; the exporter's record is a solid line, the importer's a dashed one"
           + (f"; in {years.min()}–{years.max()} Iran's own export figures are IMF estimates "
              "(open circles)." if len(years) else "."))
    return Figure(fig, alt)


def timeline(events: pd.DataFrame, documents_per_year: pd.Series, first: int,
             last: int) -> Figure:
    """Documents signed per year (bars) and the events by category (marks)."""
    use_style()
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 5.2), sharex=True,
                                   gridspec_kw={"height_ratios": [1, 1.3]})
    years = range(first, last + 1)
    ax1.bar(list(years), [documents_per_year.get(y, 0) for y in years],
            color=COLOURS["exports"])
    ax1.set_ylabel("Documents signed\n(lowest count)")
    ax1.set_title("Agreements and events in Kazakhstan–Iran relations")
    cats = sorted(events["category"].unique())
    for i, cat in enumerate(cats):
        sel = events[events["category"] == cat]
        ax2.scatter([_fractional_year(d) for d in sel["date_from"]], [i] * len(sel), s=22,
                    marker=MARKERS[i % len(MARKERS)], label=cat)
    ax2.set_yticks(range(len(cats)), cats)
    ax2.set_xlabel("Year")
    ax2.set_xlim(first - 0.5, last + 1)
    busiest = int(documents_per_year.idxmax())
    alt = (f"Timeline {first}–{last}: bars count documents signed per year, highest in "
           f"{busiest} ({int(documents_per_year.max())} documents); below, {len(events)} "
           f"events marked by category, one marker shape per category ({', '.join(cats)}).")
    return Figure(fig, alt)


def claims_vs_data(points: pd.DataFrame, series: pd.Series, mirror: pd.Series) -> Figure:
    """The article's trade figures (bars for years, bands for ranges) against DOTS."""
    use_style()
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(series.index, series.values, color=COLOURS["turnover"],
            label="Turnover, Kazakhstan's statistics (DOTS)")
    ax.plot(mirror.index, mirror.values, color=COLOURS["mirror"], linestyle="--",
            label="Turnover, Iran's statistics (DOTS)")
    for row in points.itertuples():
        if row.lo != row.hi:
            ax.fill_between([row.x0, row.x1], row.lo, row.hi, color=COLOURS["claim"],
                            alpha=0.3, linewidth=0, hatch="//")
        else:
            ax.plot([row.x0, row.x1], [row.lo, row.hi], color=COLOURS["claim"], linewidth=3)
        ax.annotate(row.claim_id, (row.x1, row.hi), fontsize=7, xytext=(2, 2),
                    textcoords="offset points")
    ax.plot([], [], color=COLOURS["claim"], linewidth=3, label="The article's figures")
    ax.set_xlabel("Year")
    ax.set_ylabel("US$ million")
    ax.set_title("The article's trade figures against the IMF series")
    ax.legend(fontsize=8, frameon=False, loc="upper right")
    alt = (f"Chart of {len(points)} trade figures from the article (short thick bars, hatched "
           f"bands for ranges) against the IMF turnover series {series.index.min()}–"
           f"{series.index.max()} (Kazakhstan's solid, Iran's dashed); verdicts: "
           + ", ".join(f"{c} {v}" for c, v in zip(points["claim_id"], points["verdict"])) + ".")
    return Figure(fig, alt)

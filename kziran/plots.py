"""Figures of the book: one style, labelled axes with units, white face for both themes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from . import paths

STYLE = paths.PACKAGE / "book.mplstyle"
COLOURS = {"exports": "#1b6ca8", "imports": "#d1495b", "turnover": "#2e2e2e",
           "mirror": "#8a8a8a", "claim": "#e69f00", "milestone": "#6a4c93"}


def use_style() -> None:
    plt.style.use(str(STYLE))


def trade_lines(table: pd.DataFrame, milestones: pd.DataFrame, reporter_name: str):
    """Exports, imports and turnover by year, with sanctions milestones marked."""
    use_style()
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for col, label in (("turnover", "Turnover"), ("exports", "Kazakh exports to Iran (FOB)"),
                       ("imports", "Kazakh imports from Iran (CIF)")):
        ax.plot(table.index, table[col], label=label, color=COLOURS[col],
                linewidth=2.2 if col == "turnover" else 1.5)
    top = table["turnover"].max()
    above = matplotlib.transforms.blended_transform_factory(ax.transData, ax.transAxes)
    for row in milestones.itertuples():
        x = row.date.year + (row.date.dayofyear - 1) / 365.25
        ax.axvline(x, color=COLOURS["milestone"], linestyle="--", linewidth=0.9)
        # Labels sit above the plotting area, so they never hide the data.
        ax.text(x, 1.01, f"{row.label} ({row.date:%b %Y})", transform=above, rotation=25,
                fontsize=7.5, color=COLOURS["milestone"], va="bottom", ha="left")
    ax.set_xlabel("Year")
    ax.set_ylabel("US$ million (current prices)")
    ax.set_title(f"Kazakhstan–Iran goods trade as reported by {reporter_name}", pad=62)
    ax.set_xlim(table.index.min() - 0.5, table.index.max() + 0.5)
    ax.set_ylim(0, top * 1.05)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return fig


def mirror_lines(mirror: pd.DataFrame):
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
    return fig


def timeline(events: pd.DataFrame, agreements: pd.DataFrame, first: int, last: int):
    """Agreements per year (bars) and key events (marks by category)."""
    use_style()
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 5.2), sharex=True,
                                   gridspec_kw={"height_ratios": [1, 1.3]})
    years = range(first, last + 1)
    dated = agreements[agreements["part_of"].isna()].dropna(subset=["date_from"])
    counts = dated.groupby(dated["date_from"].dt.year)["documents_min"].sum()
    ax1.bar(list(years), [counts.get(y, 0) for y in years], color=COLOURS["exports"])
    ax1.set_ylabel("Documents signed\n(lowest count)")
    ax1.set_title("Agreements and events in Kazakhstan–Iran relations")
    cats = sorted(events["category"].unique())
    for i, cat in enumerate(cats):
        sel = events[events["category"] == cat]
        x = sel["date_from"].dt.year + (sel["date_from"].dt.dayofyear - 1) / 365.25
        ax2.scatter(x, [i] * len(sel), s=22, label=cat)
    ax2.set_yticks(range(len(cats)), cats)
    ax2.set_xlabel("Year")
    ax2.set_xlim(first - 0.5, last + 1)
    return fig


def claims_vs_data(points: pd.DataFrame, series: pd.Series, mirror: pd.Series):
    """The article's trade figures (points, bars for ranges) against the DOTS series."""
    use_style()
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(series.index, series.values, color=COLOURS["turnover"],
            label="Turnover, Kazakhstan's statistics (DOTS)")
    ax.plot(mirror.index, mirror.values, color=COLOURS["mirror"], linestyle="--",
            label="Turnover, Iran's statistics (DOTS)")
    for row in points.itertuples():
        if row.lo != row.hi:
            ax.plot([row.x0, row.x1], [row.lo, row.lo], color=COLOURS["claim"], linewidth=0.8)
            ax.fill_between([row.x0, row.x1], row.lo, row.hi, color=COLOURS["claim"], alpha=0.3,
                            linewidth=0)
        else:
            ax.plot([row.x0, row.x1], [row.lo, row.hi], color=COLOURS["claim"], linewidth=3)
        ax.annotate(row.claim_id, (row.x1, row.hi), fontsize=7, xytext=(2, 2),
                    textcoords="offset points")
    ax.plot([], [], color=COLOURS["claim"], linewidth=3, label="The article's figures")
    ax.set_xlabel("Year")
    ax.set_ylabel("US$ million")
    ax.set_title("The article's trade figures against the IMF series")
    ax.legend(fontsize=8, frameon=False, loc="upper right")
    return fig

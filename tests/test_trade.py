"""Trade computations, checked against an independent reading of the raw IMF file."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from kziran.analysis import trade
from kziran.paths import PROJECT


def raw_cells() -> dict:
    """{(reporter, partner, flow, year): value} read with the csv module only."""
    with open(PROJECT.data / "raw" / "imf_dots_2022-02.csv", encoding="utf-8") as f:
        return {(r["reporter"], r["partner"], r["flow"], int(r["year"])): float(r["value"])
                for r in csv.DictReader(f)}


CELLS = raw_cells()


@pytest.mark.parametrize("reporter", ["KAZ", "IRN"])
def test_turnover_and_balance_are_exports_plus_and_minus_imports(reporter):
    partner = "IRN" if reporter == "KAZ" else "KAZ"
    table = trade.bilateral(reporter)
    for year, row in table.iterrows():
        ex = CELLS.get((reporter, partner, "exports_fob", year), math.nan)
        im = CELLS.get((reporter, partner, "imports_cif", year), math.nan)
        if math.isnan(ex) or math.isnan(im):
            assert pd.isna(row["turnover"])
            continue
        assert row["turnover"] == pytest.approx(ex + im)
        assert row["balance"] == pytest.approx(ex - im)


def test_growth_is_year_on_year_change_of_turnover():
    t = trade.bilateral("KAZ")
    for year in t.index[1:]:
        prev, cur = t.loc[year - 1, "turnover"], t.loc[year, "turnover"]
        if pd.notna(prev) and pd.notna(cur):
            assert t.loc[year, "turnover_change_pct"] == pytest.approx((cur / prev - 1) * 100)


def test_share_uses_one_reporters_statistics():
    s = trade.shares()
    y = 2019
    bil = CELLS[("KAZ", "IRN", "exports_fob", y)] + CELLS[("KAZ", "IRN", "imports_cif", y)]
    tot = CELLS[("KAZ", "WLD", "exports_fob", y)] + CELLS[("KAZ", "WLD", "imports_cif", y)]
    assert s.loc[y, "IRN_share_of_KAZ_trade_pct"] == pytest.approx(bil / tot * 100)


def test_mirror_gap_compares_exporter_and_importer_records():
    m = trade.mirror()
    y = 2015
    ex = CELLS[("KAZ", "IRN", "exports_fob", y)]
    im = CELLS[("IRN", "KAZ", "imports_cif", y)]
    assert m.loc[y, "kaz_to_irn_gap"] == pytest.approx(im - ex)
    assert m.loc[y, "kaz_to_irn_gap_pct"] == pytest.approx((im - ex) / ex * 100)


def test_estimates_are_flagged():
    est = trade.estimated_cells()
    assert len(est) > 0
    assert ((est.reporter == "IRN") & (est.flow == "exports_fob")).any()


def test_regimes_come_from_the_events_register():
    reg = trade.regimes()
    assert list(reg.index) == [k for k, _ in trade.REGIMES]
    assert reg["start_event"].iloc[1:].str.fullmatch(r"E\d{3}").all()
    starts = reg["start"].iloc[1:]
    assert starts.is_monotonic_increasing
    # Each regime ends the day before the next begins.
    for a, b in zip(reg.index[1:-1], reg.index[2:]):
        assert reg.loc[a, "end"] == reg.loc[b, "start"] - pd.Timedelta(days=1)


def test_mid_year_rule():
    reg = trade.regimes()
    for key, row in reg.iloc[1:].iterrows():
        start = row["start"]
        year = start.year if start.month <= 6 else start.year + 1
        assert trade.regime_of_year(year, reg) == key
        assert trade.regime_of_year(year - 1, reg) != key


def test_regime_averages_are_means_of_their_years():
    avg = trade.regime_averages("KAZ")
    table = trade.bilateral("KAZ")
    reg = trade.regimes()
    for key, row in avg.iterrows():
        years = [y for y in table.index if trade.regime_of_year(y, reg) == key]
        assert row["years"] == len(years)
        assert row["turnover"] == pytest.approx(table.loc[years, "turnover"].mean())


def test_value_refuses_missing_years():
    with pytest.raises(KeyError):
        trade.value("turnover", "KAZ", 1985)


def test_the_estimate_column_marks_the_imf_estimates():
    from kziran.presentation import views

    irn = views.annual_trade("IRN")["imf_estimate"]
    kaz = views.annual_trade("KAZ")["imf_estimate"]
    assert all("exports" in irn.loc[y] for y in range(2000, 2021) if y in irn.index
               and not pd.isna(trade.bilateral("IRN").loc[y, "exports"]))
    assert "exports" in kaz.loc[1993] and "imports" in kaz.loc[1993]
    assert kaz.loc[2007] == ""


def test_a_constant_ratio_is_said_to_be_constant():
    from kziran.presentation.glue import ratio_phrase

    assert ratio_phrase(1.06, 1.0600001) == "a constant ratio of 1.060"
    assert ratio_phrase(1.05, 1.07) == "a ratio between 1.050 and 1.070"


def test_an_exact_count_is_not_given_as_a_range():
    from kziran.presentation.glue import count_phrase

    assert count_phrase(23, 23) == "23"
    assert count_phrase(9, 24) == "between 9 and 24"

"""The authors' expectations, tested: numeric verdicts recomputed, references that resolve,
and every row of the years after the article sourced with its address and date read."""

from __future__ import annotations

import pandas as pd
import pytest
from test_bad_input import set_cell

from kziran.analysis import forecasts
from kziran.analysis.references import validate
from kziran.data import DataError, Package, load
from kziran.paths import Layout


def test_every_numeric_verdict_is_what_the_tests_give():
    reg = forecasts.register()
    checked = reg[reg["check"].notna()]
    assert len(checked) >= 3
    for r in checked.itertuples(index=False):
        assert forecasts.consistent(r.verdict, r.tested_by, r.computed_verdict), (
            r.forecast_id, r.verdict, r.tested_by, r.computed_verdict)
    documents = reg[reg["tested_by"] == "documents"]
    assert documents["check"].isna().all()


def test_a_changed_figure_changes_the_verdict():
    reg = forecasts.register().set_index("forecast_id")
    row = reg.loc["P006"].copy()
    assert forecasts.evaluate(row).verdict == "not borne out"  # trade rose after sanctions
    row["check"] = "rise:T036:T038"
    assert forecasts.evaluate(row).verdict == "borne out"
    row["check"] = "rise:T036:T038 | atleast:T037:dots:KAZ:2019"
    assert forecasts.evaluate(row).verdict == "partly borne out"


@pytest.mark.parametrize("registered,tested_by,computed,ok", [
    ("borne out", "data", "borne out", True),
    ("partly borne out", "data", "borne out", False),
    ("partly borne out", "data and documents", "borne out", True),
    ("not borne out", "data and documents", "borne out", False),
    ("too early to tell", "documents", None, True),
])
def test_what_a_check_allows(registered, tested_by, computed, ok):
    assert forecasts.consistent(registered, tested_by, computed) is ok


def test_unlike_periods_are_never_compared():
    rows = load("trade_reported").set_index("figure_id")
    assert forecasts.comparable(rows.loc["T036"], rows.loc["T038"]) is None  # Jan-Sep, Jan-Sep
    assert "period kind" in forecasts.comparable(rows.loc["T036"], rows.loc["T037"])
    assert "later" in forecasts.comparable(rows.loc["T038"], rows.loc["T036"])
    assert "differs" in forecasts.comparable(rows.loc["T029"], rows.loc["T031"])


@pytest.mark.parametrize("column,value,message", [
    ("evidence", "E999", "unknown register id or source key 'E999'"),
    ("check", "rise:T036:T999", "names a row that does not exist"),
    ("check", "rise:T036:T037", "cannot be compared"),
    ("check", "soon:T036", "cannot read the test"),
    ("paragraph", "99", "no paragraph '99'"),
])
def test_a_dangling_or_wrong_reference_stops_the_data_check(project_copy, column, value,
                                                            message):
    rows = pd.read_csv(project_copy / "data" / "forecasts.csv", dtype=str)
    row = int(rows.index[rows["forecast_id"] == "P019"][0]) + 2
    set_cell(project_copy / "data" / "forecasts.csv", row, column, value)
    with pytest.raises(DataError, match=message) as err:
        validate(Package(Layout(project_copy)), force=True)
    assert f"row {row}" in str(err.value) and f"column '{column}'" in str(err.value)


def test_every_row_since_2020_names_its_source_with_address_and_date_read():
    sources = load("sources").set_index("key")
    seen = 0
    for name, date in (("events", "date_from"), ("agreements", "date_from"),
                       ("trade_reported", "period_start"), ("figures", "period_start")):
        df = load(name)
        for r in df[df[date] >= "2020-01-01"].itertuples(index=False):
            src = sources.loc[r.source]
            assert isinstance(src["url"], str) and src["url"].startswith("http"), (name, r)
            assert isinstance(src["urldate"], str) and len(src["urldate"]) >= 7, (name, r)
            seen += 1
    assert seen >= 80

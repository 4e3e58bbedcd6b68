"""The claims register: the verdict rules, and every checkable verdict reproduced from the data."""

from __future__ import annotations

import pandas as pd
import pytest

from kziran.analysis import claims


def test_registered_verdicts_match_the_data():
    reg = claims.register()
    checked = reg[reg["computed_verdict"].notna()]
    assert len(checked) >= 25, "too few claims are checked by code"
    wrong = checked[checked["verdict"] != checked["computed_verdict"]]
    assert wrong.empty, wrong[["claim_id", "verdict", "computed_verdict", "computed_from"]]


@pytest.mark.parametrize("deviations,relied_on,expected", [
    ([0.0], None, "supported"),
    ([0.09, -0.05], None, "supported"),
    ([0.05, 0.5], None, "not verifiable"),  # the records conflict: no "partly" for that
    ([0.25], None, "contradicted"),  # a point figure missed by 25 %: no "partly" band
    ([0.2, 0.9], None, "contradicted"),  # every series misses on the same side
    ([0.2, -0.4], None, "not verifiable"),  # the series straddle the claim
    ([0.2, -0.4], 0, "contradicted"),  # ... and the claim's own series misses it
    ([0.05, 2.7], 0, "supported"),  # the relied-on series holds; the other is a caveat
    ([0.5, 0.0], 0, "contradicted"),  # ... and fails, whatever the other says
])
def test_combining_the_series(deviations, relied_on, expected):
    assert claims.combine(deviations, 10, relied_on) == expected


@pytest.mark.parametrize("claimed,hi,actual,expected", [
    (100, None, 100, 0.0),
    (100, None, 80, 0.25),  # the claim is above the record
    (100, None, 125, -0.2),  # below it
    (600, 700, 650, 0.0),
    (600, 700, 500, 0.2),
])
def test_deviation_is_signed_and_relative_to_the_record(claimed, hi, actual, expected):
    assert claims.deviation(claimed, hi, actual) == pytest.approx(expected)


def test_a_lower_bound_holds_above_it():
    assert claims.deviation(1000, None, 5000, "ge") == 0.0
    assert claims.deviation(1000, None, 500, "ge") == pytest.approx(1.0)


@pytest.mark.parametrize("text,first,last", [
    ("2013", "2013-01-01", "2013-12-31"),
    ("2013-02", "2013-02-01", "2013-02-28"),
    ("2013-02-26", "2013-02-26", "2013-02-26"),
    ("2006-2008", "2006-01-01", "2008-12-31"),
    ("2019-12/2020-01", "2019-12-01", "2020-01-31"),
])
def test_period_interval(text, first, last):
    assert claims.period_interval(text) == (pd.Timestamp(first), pd.Timestamp(last))


def test_a_trade_claim_is_judged_on_kazakhstans_statistics_unless_marked():
    assert claims.relied_on(["dots:turnover:IRN:2019", "dots:turnover:KAZ:2019"]) == 1
    assert claims.relied_on(["dots:turnover:KAZ:2019", "*dots:turnover:IRN:2019"]) == 1
    assert claims.relied_on(["figure:F001", "reported:T001"]) is None


def test_a_changed_claim_changes_the_computed_verdict():
    reg = claims.register().set_index("claim_id")
    row = reg.loc["C042"].copy()
    row["claim_id"] = "C042"
    assert claims.evaluate(row).verdict == "supported"  # Kazakh record; Iran's a caveat
    row["value"] = 1_300
    assert claims.evaluate(row).verdict == "contradicted"
    row["value"] = 10_000
    assert claims.evaluate(row).verdict == "contradicted"
    row["check"] = "dots:turnover:KAZ:2014"
    row["value"] = 990
    assert claims.evaluate(row).verdict == "supported"


def test_a_date_check_names_the_event_the_claim_is_about():
    reg = claims.register().set_index("claim_id")
    # The missile strike of 8 January 2020 is its own event, not the aviation advice of
    # the same day (which a date check on that day would also have passed).
    assert reg.loc["C033", "check"] != reg.loc["C046", "check"]


def test_editorial_observations_stay_out_of_the_authors_counts():
    reg = claims.register()
    editorial = reg[reg["claim_type"] == claims.EDITORIAL]
    assert len(editorial) >= 1
    assert claims.verdict_counts().sum() == len(reg) - len(editorial)


def test_the_treaty_base_counts_each_state_document_once():
    from kziran.analysis import registers
    from kziran.constants import ARTICLE_WRITTEN

    ag = registers.agreements()
    mixed = set(ag.loc[ag["doc_type"] == "mixed_package", "agreement_id"])
    assert mixed, "the data hold a package that mixes in business contracts"
    base = registers.treaty_base()
    chosen = ag[ag["agreement_id"].isin(base["ids"])]
    assert not chosen["doc_type"].isin(["mixed_package", "contract"]).any()
    assert chosen["part_of"].dropna().isin(mixed).all(), "a document counted in its package too"
    inside = ag[ag["part_of"].isin(mixed) & (ag["date_from"] <= ARTICLE_WRITTEN)]
    assert inside["agreement_id"].isin(base["ids"]).all(), "official parts of a mixed package"
    assert base["documents_min"] == int(chosen["documents_min"].sum())

    floor = registers.treaty_floor()
    assert floor["total"] == floor["earlier"] + floor["later"]
    later = ag[ag["agreement_id"].isin(floor["later_ids"])]
    assert (later["date_from"].dt.year > floor["earlier_year"]).all()
    assert set(floor["later_ids"]) < set(base["ids"])

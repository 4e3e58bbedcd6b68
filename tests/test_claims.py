"""The claims register: references resolve, and every checkable verdict is reproduced."""

from __future__ import annotations

import pandas as pd
import pytest

from kziran import claims, data


def test_registered_verdicts_match_the_data():
    reg = claims.register()
    checked = reg[reg["computed_verdict"].notna()]
    assert len(checked) >= 10, "too few claims are checked by code"
    wrong = checked[checked["verdict"] != checked["computed_verdict"]]
    assert wrong.empty, wrong[["claim_id", "verdict", "computed_verdict", "computed_from"]]


def test_all_sections_and_verdict_kinds_present():
    reg = data.load("claims")
    assert set(reg["section"]) >= {"introduction", "results", "conclusion"}
    assert set(reg["verdict"]) <= set(claims.VERDICTS)
    assert (reg["verdict"] == "contradicted").any()
    assert (reg["verdict"] == "not verifiable").any()


def test_references_resolve():
    assert claims.reference_problems() == []


def test_every_claim_has_evidence_and_a_reason():
    reg = data.load("claims")
    assert reg["evidence"].str.strip().str.len().gt(0).all()
    assert reg["note"].str.strip().str.len().gt(10).all()


@pytest.mark.parametrize("claimed,hi,actual,tol,expected", [
    (100, None, 100, 10, "supported"),
    (100, None, 109, 10, "supported"),
    (100, None, 125, 10, "partly supported"),
    (100, None, 200, 10, "contradicted"),
    (600, 700, 650, 10, "supported"),
    (600, 700, 480, 10, "partly supported"),
    (600, 700, 300, 10, "contradicted"),
])
def test_numeric_rule(claimed, hi, actual, tol, expected):
    assert claims.numeric_verdict(claimed, hi, actual, tol) == expected


def test_numeric_rule_at_least():
    assert claims.numeric_verdict(1000, None, 1200, 10, "ge") == "supported"
    assert claims.numeric_verdict(1000, None, 800, 10, "ge") == "partly supported"
    assert claims.numeric_verdict(1000, None, 226, 10, "ge") == "contradicted"


@pytest.mark.parametrize("text,first,last", [
    ("2013", "2013-01-01", "2013-12-31"),
    ("2013-02", "2013-02-01", "2013-02-28"),
    ("2013-02-26", "2013-02-26", "2013-02-26"),
    ("2006-2008", "2006-01-01", "2008-12-31"),
    ("2017-01-23/2017-01-24", "2017-01-23", "2017-01-24"),
])
def test_period_interval(text, first, last):
    a, b = claims.period_interval(text)
    assert (a, b) == (pd.Timestamp(first), pd.Timestamp(last))


def test_a_changed_claim_changes_the_computed_verdict():
    reg = claims.register()
    row = reg[reg["check"].fillna("").str.startswith("dots:")].iloc[0]
    out = claims.evaluate(row)
    moved = row.copy()
    moved["value"] = (out.actual or row["value"]) * 10
    moved["value_max"] = pd.NA
    assert claims.evaluate(moved).verdict == "contradicted"

"""Readers see words: every code a table or card can show has its words in the labels.

The labels (kziran/labels.yml) are the one place of the words for the book's keys: every
value that the data package's schema allows for a field the book shows has one, every
table's caption and every column header a view produces has one, and no label is a code
or field name itself.
"""

from __future__ import annotations

import re

import pytest

from kziran import labels
from kziran.data import PACKAGE
from kziran.presentation import views

# Fields whose values never reach a page (identifiers of the IMF extract, bibliographic
# types read only by the BibTeX writer, the languages of sources).
NOT_SHOWN = {("dots", "reporter"), ("dots", "partner"), ("dots", "flow"), ("dots", "unit"),
             ("sources", "entry_type"), ("sources", "role"), ("sources", "language"),
             ("trade_reported", "unit"), ("claims", "unit"), ("forecasts", "verdict"),
             ("forecasts", "section")}


def shown_enums():
    for res in PACKAGE.descriptor["resources"]:
        for field in res["schema"]["fields"]:
            if (res["name"], field["name"]) in NOT_SHOWN:
                continue
            for value in field.get("constraints", {}).get("enum", ()):
                yield res["name"], field["name"], value


@pytest.mark.parametrize("resource,field,value", list(shown_enums()))
def test_every_code_the_book_can_show_has_words(resource, field, value):
    assert labels.has(f"code.{resource}.{field}.{value}"), (
        f"no words for {value!r} of {resource}.{field} in kziran/labels.yml")


def test_no_label_is_a_code():
    for key, words in labels.english().items():
        words = re.sub(r"\{\w+\}", "", words)  # the fields a label fills in
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", words), (key, words)
        assert not re.search(r"\b[CEATFP]\d{3}\b", words), (key, words)


VIEWS = [(views.annual_trade, ("KAZ",), {}), (views.shares_table, (), {}),
         (views.regime_table, (), {}), (views.mirror_table, (), {}),
         (views.trade_since, (2020,), {}), (views.article_documents, (), {}),
         (views.events_since, ("2020-01-01", ["visit"]), {}), (views.agreements_since, ("2020-01-01",), {}),
         (views.figures_of, ("transport",), {}), (views.forecasts_table, (), {}),
         (views.events, (), {}), (views.agreement_counts, ("domain",), {}),
         (views.key_facts, (), {}), (views.data_summary, (), {}), (views.cited_works, (), {}),
         (views.claims_of, ("results",), {}), (views.verdict_counts, (), {}),
         (views.verdicts_by_kind, (), {}), (views.register_events, (), {}),
         (views.register_agreements, (), {}), (views.register_figures, (), {}),
         (views.register_trade, (), {})]


@pytest.mark.parametrize("view,args,kwargs", VIEWS, ids=[v[0].__name__ for v in VIEWS])
def test_every_column_of_every_view_has_a_header(view, args, kwargs):
    frame = view(*args, **kwargs)
    keys = list(frame.columns) + ([frame.index.name] if frame.index.name else [])
    for key in keys:
        if key != "anchor":
            assert labels.has(f"column.{key}"), f"{view.__name__}: no header for {key!r}"


def test_an_unknown_key_is_an_error_not_a_word():
    with pytest.raises(KeyError, match="no label"):
        labels.text("column.no_such_column")

"""The Kazakh and Russian catalogs: complete, faithful to their markup, in our own words.

- Every message of every catalog is translated and none is fuzzy (``make translations``
  lists what is not); every label has its translation.
- Each translation keeps the roles, references, citations, glue keys and link targets of
  its English message, and a label's ``{fields}`` (the same set, in any order).
- No translation shares a run of seven words with the article (its fingerprint,
  tests/article-7grams.txt) outside quotations, titles and marked words.
- No translation uses a Kazakh or Russian form the glossary lists as a variant to avoid.
- The catalogs being up to date with the English text is checked by ``make test`` itself
  (``python -m kziran.tooling.translations --check``, after a gettext build).
"""

from __future__ import annotations

import re

import pytest

from kziran import editions, labels
from kziran.tooling import ownwords
from kziran.tooling.translations import (
    catalog_files,
    messages,
    pending,
    placeholder_problems,
    placeholders,
)

LANGS = editions.TRANSLATIONS


def entries(lang: str):
    base = editions.catalogs() / lang / "LC_MESSAGES"
    for path in catalog_files(lang):
        for m in messages(path):
            yield str(path.relative_to(base)), m


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    assert catalog_files(lang), f"no catalogs for {lang}: run make translations"
    todo = {name: [m.id[:60] for m in found] for name, found in pending(lang).items()}
    assert not todo, f"untranslated or fuzzy in {lang}: {todo}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_label_is_translated(lang):
    words = labels.translations(lang)
    assert set(words) == set(labels.english())
    # A label copied over from English is not a translation (names, codes and formats
    # such as "CSV" or "{value}" may stay as they are).
    copied = [k for k, v in words.items() if v == labels.english()[k]
              and re.search(r"[A-Za-z]{4,}\s+[A-Za-z]{4,}", v)]
    assert not copied, f"labels left in English in {lang}: {copied[:10]}"


def test_placeholder_check_can_fail():
    assert placeholder_problems("see {reg}`C004` and {glue:text}`x:,.0f`",
                                "{reg}`C004` бар") == "lost {glue:text}x:,.0f"
    assert placeholder_problems("{ref}`¶1 <concordance-results-1>`",
                                "{ref}`1-абзац <concordance-results-1>`") is None
    assert placeholders("{later} above {earlier}") == ["field:earlier", "field:later"]


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_roles_references_glue_keys_and_fields(lang):
    problems = [f"{name}: {m.id[:50]!r}: {problem}" for name, m in entries(lang)
                if m.string and (problem := placeholder_problems(m.id, m.string))]
    assert not problems, "\n".join(problems[:20])


def test_own_words_check_can_fail():
    assert len(ownwords.load_fingerprint()) > 4000
    # A fingerprint of a sentence of our own stands in for the article's: the same seven
    # words are found, quoted they are not.
    source = "бұл сөйлемді біз тексерудің өзі үшін ғана әдейі жаздық"
    article = ownwords.fingerprint(source)
    assert ownwords.shared(f"мұнда {source} делінеді", article)
    assert not ownwords.shared(f"авторлар «{source}» деп жазады", article)


@pytest.mark.parametrize("lang", LANGS)
def test_no_translation_shares_seven_words_with_the_article(lang):
    article = ownwords.load_fingerprint()
    shared = [f"{name}: {run}" for name, m in entries(lang)
              for run in ownwords.shared(m.string, article)]
    shared += [f"label {k}: {run}" for k, v in labels.translations(lang).items()
               for run in ownwords.shared(v, article)]
    assert not shared, "\n".join(shared[:20])


@pytest.mark.parametrize("lang", LANGS)
def test_translations_avoid_the_glossary_variants(lang):
    from test_glossary import ENTRIES, violations

    found = [f"{name}: {v}" for name, m in entries(lang)
             # quotations and titles keep their own spellings
             for v in violations(ownwords.spared(m.string), ENTRIES, lang=lang)]
    found += [f"label {k}: {v}" for k, text in labels.translations(lang).items()
              for v in violations(text, ENTRIES, lang=lang)]
    assert not found, "\n".join(found[:20])

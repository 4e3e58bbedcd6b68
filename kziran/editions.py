"""The languages of the edition, defined once: which there are, what each is called, and
where each one's build, catalogs and PDF live.

The book is written in English and translated into Kazakh and Russian through Sphinx's
gettext catalogs (``locales/<lang>/LC_MESSAGES/``). Every language is built from the same
notebooks, executed once: a build in a language differs from the English one only by the
Sphinx ``language`` it sets (:func:`sphinx_overrides`), and every layer that writes words
asks :mod:`kziran.labels` and :mod:`kziran.formats` for that language's.
"""

from __future__ import annotations

import os
from pathlib import Path

from .paths import PROJECT, Layout

SOURCE = "en"  # the language the book is written in; the others are translations of it
LANGUAGES = ("en", "kk", "ru")
# Each language by its own name (the language switcher, the landing pages).
NAMES = {"en": "English", "kk": "Қазақша", "ru": "Русский"}
# BCP 47 tags of the pages (<html lang>, hreflang, JSON-LD inLanguage).
TAGS = {"en": "en", "kk": "kk", "ru": "ru"}
TRANSLATIONS = tuple(lang for lang in LANGUAGES if lang != SOURCE)


class LanguageError(ValueError):
    """A language the edition does not have was asked for."""


def selected(value: str | None = None) -> tuple[str, ...]:
    """The languages to build: ``value`` (or the ``LANGUAGES`` environment variable), a
    list such as "en kk" or "en,ru"; all of them when empty. English is always built (the
    other sites link to it) and the order is the edition's."""
    value = os.environ.get("LANGUAGES", "") if value is None else value
    asked = [v for v in value.replace(",", " ").split() if v]
    unknown = [v for v in asked if v not in LANGUAGES]
    if unknown:
        raise LanguageError(f"LANGUAGES={value}: the edition has no language {unknown[0]!r} "
                            f"(languages: {' '.join(LANGUAGES)})")
    return tuple(lang for lang in LANGUAGES if lang in asked or lang == SOURCE or not asked)


def problem(value: str) -> str:
    """What is wrong with a list of languages, in one line ('' when nothing is)."""
    try:
        selected(value)
    except LanguageError as exc:
        return str(exc)
    return ""


def prefix(lang: str) -> str:
    """The folder of a language's site below the English one ('' for English)."""
    return "" if lang == SOURCE else f"{lang}/"


def html_dir(lang: str, layout: Layout = PROJECT) -> Path:
    return layout.html / prefix(lang) if prefix(lang) else layout.html


def doctrees(lang: str, layout: Layout = PROJECT) -> Path:
    """Sphinx's environment of a language's HTML build (each language has its own)."""
    return layout.build / (".doctrees" if lang == SOURCE else f".doctrees-{lang}")


def pdf(lang: str, layout: Layout = PROJECT) -> Path:
    """The published PDF of a language: kziran-edition.pdf, kziran-edition-kk.pdf."""
    stem = layout.pdf.stem
    return layout.pdf.with_name(f"{stem}{'' if lang == SOURCE else '-' + lang}.pdf")


def catalogs(layout: Layout = PROJECT) -> Path:
    return layout.root / "locales"


def sphinx_overrides(lang: str) -> dict:
    """What a build in ``lang`` sets beyond _config.yml."""
    if lang not in LANGUAGES:
        raise LanguageError(f"the edition has no language {lang!r} "
                            f"(languages: {' '.join(LANGUAGES)})")
    return {"language": lang}

"""The words a reader sees for the book's keys and codes: one place, per language.

Every header, caption, code value, verdict, axis label and interface string that the
code writes comes from here, never from a literal in a view, a figure or an extension.
The English labels are ``labels.yml`` beside this module: a nested mapping, addressed by
dotted keys such as ``column.year`` or ``code.events.category.visit``. The Kazakh and
Russian ones are the gettext catalog ``locales/<lang>/LC_MESSAGES/labels.po``, one
message per key (its context), kept up to date with the English by ``make translations``
like the catalogs of the pages.

A label may hold ``{name}`` fields, filled by :func:`text`'s keyword arguments.
"""

from __future__ import annotations

from functools import cache

import yaml

from . import editions
from .paths import PACKAGE

SOURCE = PACKAGE / "labels.yml"
ENGLISH = editions.SOURCE
CATALOG = "labels"  # locales/<lang>/LC_MESSAGES/labels.po


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value)
    return out


@cache
def english() -> dict[str, str]:
    """Every label, in English, by its dotted key."""
    return _flatten(yaml.safe_load(SOURCE.read_text(encoding="utf-8")))


def catalog_path(lang: str, layout=None):
    return editions.catalogs(*([layout] if layout else [])) / lang / "LC_MESSAGES" / f"{CATALOG}.po"


@cache
def translations(lang: str) -> dict[str, str]:
    """The labels of a language, by key: every English key, translated (a key missing,
    untranslated or fuzzy in the catalog is an error that names it)."""
    if lang == ENGLISH:
        return english()
    if lang not in editions.LANGUAGES:
        raise ValueError(f"the edition has no labels in {lang!r} "
                         f"(languages: {' '.join(editions.LANGUAGES)})")
    from babel.messages.pofile import read_po

    path = catalog_path(lang)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle)
    except OSError as exc:
        raise ValueError(f"no labels in {lang!r}: cannot read {path} ({exc.strerror}); "
                         "run make translations") from None
    found = {m.context: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    found.update({k: "" for k, v in english().items() if not v})  # empty in every language
    missing = [k for k in english() if k not in found]
    if missing:
        raise ValueError(f"{path.name} ({lang}): {len(missing)} labels untranslated or "
                         f"fuzzy, such as {missing[0]!r}: run make translations")
    return {k: found[k] for k in english()}


def template():
    """The catalog template of the labels (a babel Catalog): one message per key (a label
    empty in English is empty in every language, and not in the catalog)."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="kziran labels", fuzzy=False)
    for key, words in english().items():
        if words:
            catalog.add(words, context=key)
    return catalog


def text(key: str, lang: str = ENGLISH, **fields) -> str:
    """The words for ``key`` in ``lang``."""
    try:
        words = translations(lang)[key]
    except KeyError:
        raise KeyError(f"no label {key!r} in {SOURCE.name}") from None
    return words.format(**fields) if fields else words


def code(resource: str, field: str, value, lang: str = ENGLISH) -> str:
    """The words for a code value of the data package (``code.<resource>.<field>.<value>``)."""
    return text(f"code.{resource}.{field}.{value}", lang)


def has(key: str) -> bool:
    return key in english()

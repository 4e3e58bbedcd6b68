"""The words a reader sees for the book's keys and codes: one place, per language.

Every header, caption, code value, verdict, axis label and interface string that the
code writes comes from here, never from a literal in a view, a figure or an extension.
The English labels are ``labels.yml`` beside this module: a nested mapping, addressed by
dotted keys such as ``column.year`` or ``code.events.category.visit``.

A label may hold ``{name}`` fields, filled by :func:`text`'s keyword arguments.
"""

from __future__ import annotations

from functools import cache

import yaml

from .paths import PACKAGE

SOURCE = PACKAGE / "labels.yml"
ENGLISH = "en"


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


def translations(lang: str) -> dict[str, str]:
    """The labels of a language, by key."""
    if lang != ENGLISH:
        raise ValueError(f"the edition has no labels in {lang!r} (languages: {ENGLISH})")
    return english()


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

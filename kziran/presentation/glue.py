"""What a notebook hands to its page: glued numbers, phrases and figures.

A number for the prose is glued as the plain Python number the page prints (numpy
scalars print badly), and carries in its metadata what the page's hover note says: the
exact value before rounding, or, for a figure the article states, the claim it belongs
to (the page shows the two kinds apart). A phrase that depends on the data is glued as
Markdown, with any text from the data escaped. A glued figure is stored once, as its glue
record: the helpers return nothing, so the cell does not carry a second copy as its result.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass

import pandas as pd

from .. import formats, labels
from ..constants import RATING_SCALES
from .tables import LANGUAGES, md_escape, variants_metadata

META = "kziran"  # the key of the book's own metadata on a glued output


@dataclass(frozen=True)
class Number:
    """A number as the page prints it (rounded) and as it was computed (exact)."""

    shown: int | float
    exact: float
    quoted: str | None = None  # the claim of the article that states it

    def _repr_mimebundle_(self, include=None, exclude=None):
        meta = {"exact": self.exact} if self.quoted is None else {"quoted": self.quoted}
        return {"text/plain": repr(self.shown)}, {META: meta}


def _checked(value) -> float:
    if value is None or pd.isna(value) or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("refusing to glue a missing value")
    return float(value)


def number(value, decimals: int = 0) -> Number:
    """A computed number, rounded for print, its exact value kept (refuses a missing one)."""
    exact = _checked(value)
    return Number(round(exact) if decimals == 0 else round(exact, decimals), exact)


def quoted(value, claim: str) -> Number:
    """A figure the article states (claim ``C019``), printed as the register records it."""
    exact = _checked(value)
    return Number(int(exact) if exact.is_integer() else exact, exact, claim)


def glue_numbers(**values) -> None:
    """Glue several numbers at once, without displaying them."""
    from myst_nb import glue

    for key, value in values.items():
        glue(key, value, display=False)


def glue_quoted(values: dict[str, tuple[float, str]]) -> None:
    """Glue the article's own figures: key -> (value, claim id)."""
    glue_numbers(**{key: quoted(v, claim) for key, (v, claim) in values.items()})


class Variants:
    """One output made in every language of the edition: the first language's as the
    standard mime type, each further one as its variant (kziran.publishing.outputs)."""

    def __init__(self, make, kind: str):
        self.kind = kind  # "markdown" or "png"
        self.values = {lang: make(lang) if callable(make) else make for lang in LANGUAGES}

    def __repr__(self) -> str:  # stable: committed outputs must not hold memory addresses
        return f"<{self.kind} in {', '.join(self.values)}>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        first, *others = LANGUAGES
        if self.kind == "markdown":
            bundle = {"text/markdown": self.values[first], "text/plain": self.values[first]}
            bundle.update({f"text/vnd.kziran.{lang}+markdown": self.values[lang]
                           for lang in others})
            return bundle, variants_metadata()
        bundle = {"image/png": base64.b64encode(self.values[first].png).decode("ascii"),
                  "text/plain": repr(self)}
        bundle.update({f"image/vnd.kziran.{lang}+png":
                       base64.b64encode(self.values[lang].png).decode("ascii") for lang in others})
        return bundle, {"image/png": {}, **variants_metadata()}


def in_every_language(markdown) -> Variants:
    """A notebook's Markdown output made in every language of the edition: ``markdown`` is
    a function of the language (the build in each language shows its own)."""
    return Variants(markdown, "markdown")


def glue_text(key: str, markdown) -> None:
    """Glue a short phrase for ``{glue:md}``: Markdown, or a function of the language that
    writes it (escape data text with :func:`escaped`)."""
    from myst_nb import glue

    glue(key, Variants(markdown, "markdown"), display=False)


def escaped(text: str) -> str:
    """Text from the data, safe inside a glued phrase."""
    return md_escape(text)


def register_links(ids) -> str:
    """Rows of the registers, for a glued phrase: named links (the ``reg`` role)."""
    ids = list(ids)
    if not all(isinstance(i, str) and i[:1] in "CEATFP" and i[1:].isdigit() for i in ids):
        raise ValueError(f"not register ids: {ids}")
    return "{reg}`" + " ".join(ids) + "`"


def count_phrase(low: int, high: int, lang: str = "en") -> str:
    """"23" or "between 23 and 30", as the lowest and highest counts say."""
    if low == high:
        return formats.number(low, 0, lang)
    return labels.text("phrase.count_range", lang, low=formats.number(low, 0, lang),
                       high=formats.number(high, 0, lang))


def ratio_phrase(low: float, high: float, places: int = 3, lang: str = "en") -> str:
    """"a constant ratio of 1.064" or "a ratio between 1.05 and 1.07", as the data say."""
    if round(low, places) == round(high, places):
        return labels.text("phrase.ratio_constant", lang, value=formats.number(low, places, lang))
    return labels.text("phrase.ratio_range", lang, low=formats.number(low, places, lang),
                       high=formats.number(high, places, lang))


def scale_phrase(register: str, lang: str = "en") -> str:
    """The rating scale machines read the verdicts of ``register`` on, in words."""
    from ..data import allowed

    scale = RATING_SCALES[register]
    rated = [labels.text("phrase.rated", lang, value=formats.number(v, 0, lang),
                         verdict=labels.code(register, "verdict", k, lang))
             for k, v in sorted(scale.items(), key=lambda kv: kv[1])]
    unrated = [labels.code(register, "verdict", v, lang) for v in allowed(register, "verdict")
               if v not in scale and v not in ("inconsistent", "consistent")]
    return labels.text("phrase.review_scale", lang, scale=_listed(rated, lang),
                       unrated=_listed([labels.text("ui.quoted", lang, text=u) for u in unrated],
                                       lang))


def _listed(items: list[str], lang: str) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + labels.text("ui.list_and", lang) + items[-1]


def glue_figure(key: str, figure) -> None:
    """Glue a figure for ``{glue:figure}``: a Figure, or a function of the language that
    draws it (drawn once per language, from one execution)."""
    from myst_nb import glue

    glue(key, Variants(figure, "png"), display=False)


def setup() -> None:
    """Call once at the top of a notebook: display options, and a note of the data each
    cell reads (for the sources a table's CSV names). Each figure sets its own style."""
    from IPython import get_ipython

    from ..data import PACKAGE

    pd.set_option("display.max_rows", 200)
    pd.set_option("display.width", 120)
    shell = get_ipython()
    if shell is not None:
        shell.events.register("pre_run_cell", lambda *_: PACKAGE.read_since_mark.clear())

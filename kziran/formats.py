"""Numbers and dates in a reader's conventions, one value written per language (Babel).

English writes 1,234.5; Kazakh and Russian 1 234,5. A year is never grouped (2019, not
2 019). Dates are written at the precision the registers give them.
"""

from __future__ import annotations

import math
import re

import pandas as pd
from babel import dates as babel_dates
from babel import numbers as babel_numbers

MISSING = "–"
LOCALES = {"en": "en_GB", "kk": "kk_KZ", "ru": "ru_RU"}  # British English: 29 January 1992


def _locale(lang: str) -> str:
    return LOCALES.get(lang, lang)


def number(value, decimals: int | None = None, lang: str = "en", grouping: bool = True,
           sign: bool = False) -> str:
    """A number with ``decimals`` places (as many as it has, when None), grouped in
    thousands unless ``grouping`` is off, with a plus sign when ``sign`` and positive."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return MISSING
    if decimals is None:
        decimals = 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1])
    pattern = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals else "")
    if sign:
        pattern = f"+{pattern};-{pattern}"
    return babel_numbers.format_decimal(round(float(value), decimals), format=pattern,
                                        locale=_locale(lang), decimal_quantization=True)


def exact(value, lang: str = "en") -> str:
    """A value before rounding: grouped, with up to four decimals."""
    return babel_numbers.format_decimal(float(value), format="#,##0.####", locale=_locale(lang))


def year(value) -> str:
    return MISSING if value is None or pd.isna(value) else str(int(value))


def date(value, precision: str = "day", lang: str = "en") -> str:
    """A date at its precision: '29 January 1992', 'January 1992' or '1992'."""
    if value is None or pd.isna(value):
        return MISSING
    value = pd.Timestamp(value).date()
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return babel_dates.format_skeleton("yMMMM", value, locale=_locale(lang))
    return babel_dates.format_date(value, format="long", locale=_locale(lang))


def date_range(first, last, precision: str, lang: str = "en", unknown: str = MISSING) -> str:
    """A register's date range as text, at its precision: a day, a month, a year, or a
    span ('3–5 January 2020')."""
    if first is None or pd.isna(first):
        return unknown
    if precision in ("day", "month", "year") or last is None or pd.isna(last) or first == last:
        return date(first, precision if precision in ("month", "year") else "day", lang)
    a, b = pd.Timestamp(first).date(), pd.Timestamp(last).date()
    if (a.year, a.month) == (b.year, b.month):  # "3–5 January 2020", "2020 ж. 3–5 қаңтар"
        return re.sub(rf"\b{b.day}\b", f"{a.day}–{b.day}", date(b, "day", lang), count=1)
    return f"{date(a, 'day', lang)} – {date(b, 'day', lang)}"

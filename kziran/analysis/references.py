"""Cross-file checks of the registers, and the full validation of the data package.

Frictionless checks each file against its schema, and foreign keys where a column holds
one key. What it cannot state is checked here: lists of keys in one cell (``evidence``,
``other_sources``, ``claims``), a package row that documents belong to (``part_of``), the
machine checks of the claims register, and the rule that only full calendar years carry
a ``year`` in the reported trade figures. :func:`validate` runs the schema's checks and
these; ``make data-check`` and the executor call it before any notebook runs.
"""

from __future__ import annotations

import re

from ..data import PACKAGE, Package, Problem
from ..data import validate as validate_schema

CHECK = re.compile(
    r"^(dots:(turnover|exports|imports):(KAZ|IRN):\d{4}(-\d{4})?(:(mean|min|max|sum|all))?"
    r"(:(eq|ge))?"
    r"|dots-(ratio|pct):(turnover|exports|imports):(KAZ|IRN):\d{4}:\d{4}"
    r"|(reported|figure|event|agreement):[TFEA]\d{3})$"
)
DOTS_CELL = re.compile(r"^dots:(KAZ|IRN):(KAZ|IRN|WLD):(exports_fob|imports_cif):(\d{4})$")
REGISTER_ID = re.compile(r"^[ETAF]\d{3}$")
ID_COLUMNS = {"events": "event_id", "agreements": "agreement_id",
              "trade_reported": "figure_id", "figures": "figure_id"}


def problems(pkg: Package) -> list[Problem]:
    """Every reference of the registers that points nowhere."""
    names = set(pkg.names())
    keys = {r["key"] for _, _, r in pkg.rows("sources")} if "sources" in names else set()
    ids = {r[col] for name, col in ID_COLUMNS.items() if name in names
           for _, _, r in pkg.rows(name)}
    found: list[Problem] = []
    if "agreements" in names:
        packages = {r["agreement_id"] for _, _, r in pkg.rows("agreements")
                    if r["doc_type"] in ("package", "mixed_package")}
        for row, line, r in pkg.rows("agreements"):
            if r["part_of"] and r["part_of"] not in packages:
                found.append(Problem(pkg.where("agreements"), f"{r['part_of']!r} is not a "
                                     "package row", row, line, "part_of"))
    for name in ("agreements", "events"):
        for row, line, r in (pkg.rows(name) if name in names else ()):
            for key in r["other_sources"].split():
                if key not in keys:
                    found.append(Problem(pkg.where(name), f"unknown source key {key!r}",
                                         row, line, "other_sources"))
    if "trade_reported" in names:
        for row, line, r in pkg.rows("trade_reported"):
            if (r["period_kind"] == "calendar_year") != bool(r["year"]):
                found.append(Problem(pkg.where("trade_reported"), "`year` is required for a "
                                     "full calendar year and must stay empty for any other "
                                     "kind of period", row, line, "year"))
    if "claims" in names:
        found += _claim_problems(pkg, ids, keys)
    if "forecasts" in names:
        found += _forecast_problems(pkg, ids, keys)
    if "concordance" in names and "claims" in names:
        claim_ids = {r["claim_id"] for _, _, r in pkg.rows("claims")}
        for row, line, r in pkg.rows("concordance"):
            for cid in r["claims"].split():
                if cid not in claim_ids:
                    found.append(Problem(pkg.where("concordance"), f"no claim {cid!r} in "
                                         "data/claims.csv", row, line, "claims"))
    return found


def _claim_problems(pkg: Package, ids: set[str], keys: set[str]) -> list[Problem]:
    from .claims import EDITORIAL, EDITORIAL_VERDICTS, period_interval

    cells = {(r["reporter"], r["partner"], r["flow"], r["year"])
             for _, _, r in pkg.rows("dots")}
    where = pkg.where("claims")
    found = []
    for row, line, r in pkg.rows("claims"):
        for token in r["evidence"].split():
            m = DOTS_CELL.match(token)
            if m and tuple(m.groups()) not in cells:
                found.append(Problem(where, f"no DOTS cell {token!r}", row, line, "evidence"))
            elif not m and REGISTER_ID.match(token) and token not in ids:
                found.append(Problem(where, f"unknown register id {token!r}", row, line,
                                     "evidence"))
            elif not m and not REGISTER_ID.match(token) and token not in keys:
                found.append(Problem(where, f"unknown source key or id {token!r}", row, line,
                                     "evidence"))
        series = [s.strip() for s in r["check"].split("|") if s.strip()]
        for check in (s.lstrip("*") for s in series):
            kind = check.split(":")[0]
            if not CHECK.match(check):
                found.append(Problem(where, f"cannot read the check {check!r}", row, line,
                                     "check"))
            elif kind in ("reported", "figure", "event", "agreement") and \
                    check.split(":")[1] not in ids:
                found.append(Problem(where, f"unknown register id {check.split(':')[1]!r}",
                                     row, line, "check"))
        kinds = {s.lstrip("*").split(":")[0] for s in series}
        if kinds & {"event", "agreement"} and len(series) > 1:
            found.append(Problem(where, "a date check takes one event or agreement", row, line,
                                 "check"))
        if (r["claim_type"] == EDITORIAL) != (r["verdict"] in EDITORIAL_VERDICTS):
            found.append(Problem(where, "an editorial observation is `inconsistent` or "
                                 "`consistent`; an authors' claim takes one of the four other "
                                 "verdicts", row, line, "verdict"))
        if kinds & {"event", "agreement"}:
            try:
                period_interval(r["period"])
            except ValueError as exc:
                found.append(Problem(where, str(exc), row, line, "period"))
    return found


FORECAST_TEST = re.compile(r"^((rise|fall):[TF]\d{3}:[TF]\d{3}|atleast:[TF]\d{3}:dots:(KAZ|IRN):\d{4})$")


def _forecast_problems(pkg: Package, ids: set[str], keys: set[str]) -> list[Problem]:
    """Forecasts: evidence that resolves, checks that can be read and compared, a
    paragraph of the article that exists, and a check exactly where data decide."""
    where = pkg.where("forecasts")
    paragraphs = {(r["section"], r["paragraph"]) for _, _, r in pkg.rows("concordance")}
    found = []
    for row, line, r in pkg.rows("forecasts"):
        for token in r["evidence"].split():
            if not (token in ids or token in keys or DOTS_CELL.match(token)):
                found.append(Problem(where, f"unknown register id or source key {token!r}",
                                     row, line, "evidence"))
        tests = [t.strip() for t in r["check"].split("|") if t.strip()]
        for t in tests:
            if not FORECAST_TEST.match(t):
                found.append(Problem(where, f"cannot read the test {t!r}", row, line, "check"))
            elif any(x not in ids for x in re.findall(r"[TF]\d{3}", t)):
                found.append(Problem(where, f"the test {t!r} names a row that does not exist",
                                     row, line, "check"))
        if bool(tests) == (r["tested_by"] == "documents"):
            found.append(Problem(where, "a forecast tested by data needs a check, one tested "
                                 "by documents has none", row, line, "tested_by"))
        if r["section"] != "abstract" and (r["section"], r["paragraph"]) not in paragraphs:
            found.append(Problem(where, f"the article's {r['section']} has no paragraph "
                                 f"{r['paragraph']!r} in the concordance", row, line, "paragraph"))
    if not found:
        from .forecasts import comparable

        reported = {r["figure_id"]: r for name in ("trade_reported", "figures")
                    for _, _, r in pkg.rows(name)}
        for row, line, r in pkg.rows("forecasts"):
            for t in [t.strip() for t in r["check"].split("|") if t.strip()]:
                kind, a, b = t.split(":")[:3]
                why = comparable(reported[a], reported[b]) if kind in ("rise", "fall") else None
                if why:
                    found.append(Problem(where, f"{a} and {b} cannot be compared: {why}", row,
                                         line, "check"))
    return found


def validate(pkg: Package = PACKAGE, force: bool = False) -> str:
    """The schema's checks, then the registers' references; returns the fingerprint."""
    return validate_schema(pkg, checks=(problems,), level="full", force=force)

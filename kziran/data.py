"""Load the data package, validated against its Frictionless schema before any use.

`load(name)` returns one resource as a typed pandas DataFrame. The first call in a
process validates the whole package (Frictionless: types, constraints, unique and
foreign keys) plus the cross-file checks Frictionless cannot express; a valid
package is remembered by its content hash under ``_build/.validated`` so that the
check is not repeated for unchanged files. Any problem raises `DataError` whose
message names the file, the row (line in the file) and the column.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths
from .util import atomic_write_text

DEPS_ENV = "KZIRAN_DEPS_FILE"
MAX_REPORTED = 40


class DataError(Exception):
    """A data file does not match its schema. The message names file, row and column."""


@lru_cache(maxsize=1)
def descriptor() -> dict:
    with open(paths.DATAPACKAGE, encoding="utf-8") as f:
        return json.load(f)


def resource_descriptor(name: str) -> dict:
    for res in descriptor()["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no resource {name!r} in {paths.relative(paths.DATAPACKAGE)}")


def resource_path(name: str) -> Path:
    return paths.DATA / resource_descriptor(name)["path"]


def fingerprint() -> str:
    """Hash of the descriptor and every resource file: the package's identity."""
    h = hashlib.sha256(paths.DATAPACKAGE.read_bytes())
    for res in descriptor()["resources"]:
        p = paths.DATA / res["path"]
        h.update(res["path"].encode())
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    return h.hexdigest()


# --------------------------------------------------------------------------- checks
def _where(resource: str, row: int | None, field: str | None) -> str:
    res = resource_descriptor(resource) if resource else None
    where = f"data/{res['path']}" if res else "data/datapackage.json"
    if row is not None:
        where += f", row {row}"
    if field:
        where += f", column '{field}'"
    return where


def _file_problems() -> list[str]:
    """What must hold before a file can be parsed: it exists, is UTF-8, is complete."""
    problems = []
    for res in descriptor()["resources"]:
        path = paths.DATA / res["path"]
        where = f"data/{res['path']}"
        if not path.exists():
            problems.append(f"{where}: file is missing")
            continue
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            problems.append(
                f"{where}, row {line}, byte {col}: not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                "save the file as UTF-8"
            )
            continue
        if raw and not raw.endswith(b"\n"):
            line = raw.count(b"\n") + 1
            problems.append(
                f"{where}, row {line}: the file does not end with a newline; it looks truncated"
            )
    return problems


def _frictionless_problems() -> list[str]:
    from frictionless import Package, system

    problems: list[str] = []
    # Trusted: the descriptor is ours and its paths are relative to data/.
    with system.use_context(trusted=True):
        package = Package(str(paths.DATAPACKAGE))
        report = package.validate()
    for task in report.tasks:
        for err in task.errors:
            row = getattr(err, "row_number", None)
            field = getattr(err, "field_name", None)
            if not field and getattr(err, "field_names", None):  # foreign-key errors
                field = ", ".join(err.field_names)
            problems.append(f"{_where(task.name, row, field)}: {err.title}: {err.message}")
    for err in report.errors:
        problems.append(f"data/datapackage.json: {err.title}: {err.message}")
    return problems


def _read_raw(name: str) -> pd.DataFrame:
    return pd.read_csv(resource_path(name), dtype=str, keep_default_na=False, encoding="utf-8")


def _cross_file_problems() -> list[str]:
    """Checks that span files or rows, which a Frictionless schema cannot state."""
    problems: list[str] = []
    names = {r["name"] for r in descriptor()["resources"]}
    keys = set(_read_raw("sources")["key"]) if "sources" in names else set()

    def line(i: int) -> int:  # DataFrame index -> line in the CSV file (header is line 1)
        return i + 2

    for name in ("agreements", "events"):
        if name not in names:
            continue
        df = _read_raw(name)
        packages = set(df.loc[df.get("doc_type", pd.Series(dtype=str)) == "package",
                              "agreement_id"]) if name == "agreements" else set()
        for i, row in df.iterrows():
            part = row.get("part_of", "")
            if part and part not in packages:
                problems.append(
                    f"{_where(name, line(i), 'part_of')}: {part!r} is not a package row"
                )
            for key in row.get("other_sources", "").split():
                if key not in keys:
                    problems.append(
                        f"{_where(name, line(i), 'other_sources')}: unknown source key {key!r}"
                    )
            a, b = row.get("date_from", ""), row.get("date_to", "")
            if a and b and a > b:
                problems.append(f"{_where(name, line(i), 'date_to')}: {b} is before date_from {a}")
            if bool(a) != bool(b):
                problems.append(f"{_where(name, line(i), 'date_to')}: give both dates or neither")
    for name in ("trade_reported", "figures"):
        if name not in names:
            continue
        df = _read_raw(name)
        for i, row in df.iterrows():
            a, b = row.get("period_start", ""), row.get("period_end", "")
            if a and b and a > b:
                problems.append(
                    f"{_where(name, line(i), 'period_end')}: {b} is before period_start {a}"
                )
            if name == "trade_reported":
                is_cal = row["period_kind"] == "calendar_year"
                if is_cal != bool(row["year"]):
                    problems.append(
                        f"{_where(name, line(i), 'year')}: `year` is required for a full "
                        "calendar year and must stay empty for any other kind of period"
                    )
    if "claims" in names and resource_path("claims").exists():
        from .claims import reference_problems

        problems += [
            f"{_where('claims', line(i), col)}: {msg}" for i, col, msg in reference_problems()
        ]
    return problems


def validate(force: bool = False) -> str:
    """Validate the whole package; raise DataError naming file, row and column.

    Returns the package fingerprint. A successful validation is remembered under
    _build/.validated/<fingerprint> so unchanged files are not checked twice.
    """
    try:
        fp = fingerprint()
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"cannot read the data package: {exc}") from exc
    marker = paths.VALIDATED / fp
    if marker.exists() and not force:
        return fp
    problems = _file_problems()
    if not problems:  # the schema checks assume each file decodes
        problems = _frictionless_problems()
    if not problems:  # cross-file checks assume each file parses
        problems = _cross_file_problems()
    if problems:
        more = len(problems) - MAX_REPORTED
        text = "\n".join(f"  - {p}" for p in problems[:MAX_REPORTED])
        if more > 0:
            text += f"\n  ... and {more} more"
        raise DataError(f"the data package is invalid ({len(problems)} problem(s)):\n{text}")
    atomic_write_text(marker, "valid\n")
    return fp


# --------------------------------------------------------------------------- loading
def _record_dependency(path: Path) -> None:
    """Tell the notebook executor which data files this kernel read."""
    log = os.environ.get(DEPS_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(paths.relative(path) + "\n")


def _convert(df: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    out = {}
    for field in fields:
        col = df[field["name"]]
        missing = col == ""
        kind = field["type"]
        if kind == "integer":
            out[field["name"]] = pd.to_numeric(col.mask(missing)).astype("Int64")
        elif kind == "number":
            out[field["name"]] = pd.to_numeric(col.mask(missing)).astype("float64")
        elif kind == "boolean":
            out[field["name"]] = col.map({"true": True, "false": False}).astype("boolean")
        elif kind == "date":
            out[field["name"]] = pd.to_datetime(col.mask(missing), format="%Y-%m-%d")
        else:
            out[field["name"]] = col.mask(missing).astype("string")
    return pd.DataFrame(out)


_VALID: set[str] = set()
_FRAMES: dict[tuple, pd.DataFrame] = {}


def load(name: str, validated: bool = True) -> pd.DataFrame:
    """One resource of the data package as a typed DataFrame (validated first).

    Within one process, the package is validated once per content fingerprint and each
    file is parsed once per version of the file; callers get their own copy.
    """
    if validated:
        fp = fingerprint()
        if fp not in _VALID:
            validate()
            _VALID.add(fp)
    res = resource_descriptor(name)
    path = paths.DATA / res["path"]
    _record_dependency(path)
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _FRAMES:
        _FRAMES[key] = _convert(_read_raw(name), res["schema"]["fields"])
    return _FRAMES[key].copy()


ID_PATTERN = re.compile(r"^[ETAFC][0-9]{3}$")


# --------------------------------------------------------------------------- summaries
def _coverage(name: str, df: pd.DataFrame) -> str:
    for col in ("year", "date_from", "period_start"):
        if col in df.columns and df[col].notna().any():
            values = df[col].dropna()
            lo, hi = (values.min(), values.max())
            if col != "year":
                lo, hi = lo.year, hi.year
            return f"{int(lo)}–{int(hi)}"
    return "–"


def summary() -> pd.DataFrame:
    """One row per resource: file, rows, years covered, licence."""
    rows = []
    for res in descriptor()["resources"]:
        df = load(res["name"])
        licence = (res.get("licenses") or descriptor()["licenses"])[0]["name"]
        rows.append({
            "resource": res["name"],
            "file": f"data/{res['path']}",
            "rows": len(df),
            "years": _coverage(res["name"], df),
            "licence": licence,
        })
    return pd.DataFrame(rows)


def source_counts() -> pd.Series:
    """Entries of the bibliography by role."""
    return load("sources")["role"].value_counts().sort_index()


def unconfirmed_sources() -> int:
    return int((~load("sources")["confirmed"].astype(bool)).sum())


def cited_works() -> pd.DataFrame:
    """The works the article cites, with what could be confirmed about each."""
    src = load("sources")
    sel = src[src["role"] == "cited_by_article"]
    return pd.DataFrame({
        "key": sel["key"],
        "author": sel["author"].fillna("–"),
        "year": sel["year"].astype("string").fillna("–"),
        "title": sel["title"],
        "confirmed": sel["confirmed"].map({True: "yes", False: "no"}),
    }).reset_index(drop=True)

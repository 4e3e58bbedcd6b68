"""Validation of the data package: every problem named by file, row, line and column.

Three stages, each run only when the one before found nothing, so that a report shows
the root cause first (an empty file, a missing column) rather than its consequences
(hundreds of broken references to it):

1. the files: inside data/, present, UTF-8, complete, parsable as CSV, the header the
   schema expects, at least one row;
2. the rows: Frictionless (types, constraints, unique and foreign keys), strict finite
   numbers, and ranges in order (``date_from`` before ``date_to``);
3. further checks the caller adds (the registers' cross-file references, in
   :mod:`kziran.analysis.references`).

A package that passed is remembered under ``_build/.validated`` by its content
fingerprint, so unchanged files are not checked again; failing to write that marker
(a read-only ``_build``) only costs the next run a new check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .. import links
from .package import DataError, Package, is_finite_number, path_problem

SHOWN_PER_FILE = 8
SHOWN_IN_ALL = 40


@dataclass(frozen=True)
class Problem:
    """One problem in one file. ``row`` counts records with the header as row 1."""

    file: str
    message: str
    row: int | None = None
    line: int | None = None
    column: str | None = None
    level: str = "row"  # "file" problems are reported first: they explain the others

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
            if self.line is not None and self.line != self.row:
                where += f" (line {self.line})"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


Check = Callable[[Package], Iterable[Problem]]


# ----------------------------------------------------------------------------- files
def file_problems(pkg: Package) -> list[Problem]:
    found = []
    for res in pkg.descriptor["resources"]:
        name, rel = res["name"], res["path"]
        where = f"data/{rel}"
        unsafe = path_problem(pkg.folder, rel)
        if unsafe:
            found.append(Problem(where, unsafe, level="file"))
            continue
        path = pkg.folder / rel
        if not path.is_file():
            found.append(Problem(where, "the file is missing", level="file"))
            continue
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            found.append(Problem(where, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at line "
                                 f"{line}); save the file as UTF-8", level="file"))
            continue
        if raw and not raw.endswith(b"\n"):
            line = raw.count(b"\n") + 1
            found.append(Problem(where, f"the file ends in the middle of line {line} (no final "
                                 "newline): it looks truncated", level="file"))
            continue
        found += _header_problems(pkg, name, where)
    return found


def _header_problems(pkg: Package, name: str, where: str) -> list[Problem]:
    import csv

    try:
        rows = list(pkg.records(name))
    except csv.Error as exc:
        return [Problem(where, f"not readable as CSV: {exc}", level="file")]
    if not rows:
        return [Problem(where, "the file is empty: it needs its header and at least one row",
                        level="file")]
    header = rows[0][2]
    expected = [f["name"] for f in pkg.fields(name)]
    found = []
    for i, col in enumerate(expected):
        if col not in header:
            before = f"after '{expected[i - 1]}'" if i else "first"
            found.append(Problem(where, f"column '{col}' is missing (the schema puts it "
                                 f"{before})", level="file", column=col))
    for col in header:
        if col not in expected:
            found.append(Problem(where, f"column '{col}' is not in the schema", level="file",
                                 column=col))
    if not found and header != expected:
        found.append(Problem(where, f"the columns are not in the schema's order: "
                             f"{', '.join(expected)}", level="file"))
    if not found and len(rows) == 1:
        found.append(Problem(where, "the file has a header but no rows: every resource of the "
                             "package needs at least one", level="file"))
    return found


# ------------------------------------------------------------------------------ rows
def row_problems(pkg: Package) -> list[Problem]:
    found = _frictionless_problems(pkg)
    flagged = {(p.file, p.row, p.column) for p in found}
    for name in pkg.names():
        found += _number_problems(pkg, name, flagged)
        found += _range_problems(pkg, name)
        links_found = _link_problems(pkg, name)
        # our reason says more than Frictionless' "type is string/uri" for the same cell
        ours = {(p.file, p.row, p.column) for p in links_found}
        found = [p for p in found if (p.file, p.row, p.column) not in ours] + links_found
    return found


def _frictionless_problems(pkg: Package) -> list[Problem]:
    from frictionless import Package as FrictionlessPackage
    from frictionless import system

    lines = {name: {row: line for row, line, _ in pkg.records(name)} for name in pkg.names()}
    found = []
    # Not trusted: Frictionless itself refuses paths outside data/ (checked above too).
    with system.use_context(trusted=False):
        report = FrictionlessPackage(pkg.descriptor, basepath=str(pkg.folder)).validate()
    for task in report.tasks:
        where = pkg.where(task.name)
        for err in task.errors:
            row = getattr(err, "row_number", None)
            column = getattr(err, "field_name", None)
            if not column and getattr(err, "field_names", None):  # foreign keys
                column = ", ".join(err.field_names)
            found.append(Problem(where, f"{err.title}: {err.message}", row,
                                 lines[task.name].get(row), column))
    for err in report.errors:
        found.append(Problem("data/datapackage.json", f"{err.title}: {err.message}",
                             level="file"))
    return found


def _number_problems(pkg: Package, name: str, flagged: set) -> list[Problem]:
    fields = {f["name"]: f["type"] for f in pkg.fields(name) if f["type"] in ("number", "integer")}
    if not fields:
        return []
    where = pkg.where(name)
    found = []
    for row, line, cell in pkg.rows(name):
        for col, kind in fields.items():
            text = cell.get(col, "")
            if text and (where, row, col) not in flagged and not is_finite_number(text, kind):
                found.append(Problem(where, f"{text!r} is not a finite {kind} (write digits, "
                                     "with a point for decimals)", row, line, col))
    return found


def _link_problems(pkg: Package, name: str) -> list[Problem]:
    """Fields of format ``uri`` hold only http and https addresses: the book publishes
    them as links (see :mod:`kziran.links`)."""
    fields = [f["name"] for f in pkg.fields(name) if f.get("format") == "uri"]
    if not fields:
        return []
    where = pkg.where(name)
    found = []
    for row, line, cell in pkg.rows(name):
        for col in fields:
            text = cell.get(col, "")
            reason = links.problem(text) if text else None
            if reason:
                found.append(Problem(where, f"{text!r} is refused: {reason}", row, line, col))
    return found


def _range_problems(pkg: Package, name: str) -> list[Problem]:
    """Pairs of fields that bound a range (x_from/x_to, x_start/x_end) are in order, and
    a date range is given whole or not at all."""
    names = [f["name"] for f in pkg.fields(name)]
    pairs = [(a, a[: -len(s)] + e) for a in names for s, e in (("_from", "_to"),
                                                              ("_start", "_end"))
             if a.endswith(s) and a[: -len(s)] + e in names]
    if not pairs:
        return []
    where = pkg.where(name)
    found = []
    for row, line, cell in pkg.rows(name):
        for a, b in pairs:
            lo, hi = cell.get(a, ""), cell.get(b, "")
            if lo and hi and lo > hi:
                found.append(Problem(where, f"{hi} is before {a} {lo}", row, line, b))
            elif bool(lo) != bool(hi):
                found.append(Problem(where, f"give both {a} and {b}, or neither", row, line, b))
    return found


# ---------------------------------------------------------------------------- report
def report(found: list[Problem]) -> str:
    """Problems grouped by file, file problems first, with how many were not shown."""
    by_file: dict[str, list[Problem]] = {}
    for p in sorted(found, key=lambda p: (p.level != "file", p.file)):
        by_file.setdefault(p.file, []).append(p)
    lines = [f"the data package is invalid: {len(found)} problem(s) in {len(by_file)} file(s)"]
    shown = 0
    for file, problems in by_file.items():
        problems.sort(key=lambda p: (p.level != "file", p.row or 0))
        lines.append(f"{file}:")
        room = max(0, min(SHOWN_PER_FILE, SHOWN_IN_ALL - shown))
        for p in problems[:room]:
            lines.append(f"  - {p}")
        shown += min(room, len(problems))
        if len(problems) > room:
            lines.append(f"  ... and {len(problems) - room} more problem(s) in {file}")
    return "\n".join(lines)


def validate(pkg: Package, checks: Iterable[Check] = (), level: str = "schema",
             force: bool = False) -> str:
    """Validate; raise DataError naming file, row and column. Returns the fingerprint.

    ``checks`` run after the schema's (stage 3); ``level`` names the marker that records
    a success ("schema" for the schema alone). Any marker of the same data proves their
    schema valid, so a kernel after ``make book`` validates nothing again.
    """
    fp = pkg.fingerprint()
    marker = pkg.layout.validated / f"{fp}.{level}"
    done = [marker] if level != "schema" else list(pkg.layout.validated.glob(f"{fp}.*"))
    if not force and any(m.exists() for m in done):
        return fp
    found = file_problems(pkg)
    if any(p.level == "file" for p in found):
        raise DataError(report(found) + "\n(row checks wait until the files can be read)")
    found += row_problems(pkg)
    if not found:
        for check in checks:
            found += list(check(pkg))
    if found:
        raise DataError(report(found))
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("valid\n", encoding="utf-8")
    except OSError as exc:
        print(f"note: the data are valid, but {pkg.layout.relative(marker)} could not be "
              f"written ({exc.strerror}); the next run checks them again", file=sys.stderr)
    return fp

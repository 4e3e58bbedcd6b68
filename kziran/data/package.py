"""The data package on disk: its descriptor, its files, and typed loading.

A :class:`Package` reads only what lies inside its ``data/`` folder: a resource path must
be relative, stay inside the folder (no ``..``, no absolute path, no address, no symbolic
link that leads out), and every schema must be written into the descriptor (never
fetched). Anything else is refused with a :class:`DataError` that names the path and why,
before a byte of the file is read.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .. import links
from ..paths import PROJECT, Layout

if TYPE_CHECKING:  # pandas is imported when a table is read, not to check a marker
    import pandas as pd

DEPS_ENV = "KZIRAN_DEPS_FILE"  # set by the executor: the kernel logs the files it reads here
NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
INTEGER = re.compile(r"[-+]?\d+")


class DataError(Exception):
    """The data package is invalid; the message names file, row and column."""


class Package:
    """The Frictionless data package in ``layout.data`` (default: this project's)."""

    def __init__(self, layout: Layout = PROJECT):
        self.layout = layout
        self.folder = layout.data
        self._frames: dict[tuple, object] = {}  # parsed files, by path and version
        self.valid: set[str] = set()  # fingerprints found valid in this process
        # Resources read since a caller last emptied the set (a notebook empties it before
        # each cell, so that a table can name the files it was made from).
        self.read_since_mark: set[str] = set()

    # ------------------------------------------------------------------ descriptor
    @cached_property
    def descriptor(self) -> dict:
        """datapackage.json, parsed and checked for the shape the book relies on."""
        where = self.layout.relative(self.layout.datapackage)
        try:
            text = self.layout.datapackage.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DataError(f"{where}: the file is missing") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{where}: cannot be read ({exc})") from None
        try:
            desc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(f"{where}, line {exc.lineno}, column {exc.colno}: not valid JSON "
                            f"({exc.msg})") from None
        problems = shape_problems(desc)
        if problems:
            raise DataError(f"{where} does not describe a data package the book can read:\n"
                            + "\n".join(f"  - {p}" for p in problems))
        return desc

    def names(self) -> list[str]:
        return [r["name"] for r in self.descriptor["resources"]]

    def resource(self, name: str) -> dict:
        for res in self.descriptor["resources"]:
            if res["name"] == name:
                return res
        raise KeyError(f"no resource {name!r} in {self.layout.relative(self.layout.datapackage)}")

    def fields(self, name: str) -> list[dict]:
        return self.resource(name)["schema"]["fields"]

    def licence(self, name: str) -> str:
        """The name of the licence of a resource (or of the package, when it states none)."""
        return (self.resource(name).get("licenses") or self.descriptor["licenses"])[0]["name"]

    def where(self, name: str) -> str:
        """The resource's file as messages name it (data/...)."""
        return f"data/{self.resource(name)['path']}"

    def path(self, name: str) -> Path:
        """The resource's file, refused if it is not inside the data folder."""
        rel = self.resource(name)["path"]
        problem = path_problem(self.folder, rel)
        if problem:
            raise DataError(f"data/{rel}: {problem}")
        return self.folder / rel

    # ------------------------------------------------------------------ reading
    def read_raw(self, name: str) -> pd.DataFrame:
        """Every cell as text, exactly as in the file (empty cells are empty strings)."""
        import pandas as pd

        return pd.read_csv(self.path(name), dtype=str, keep_default_na=False,
                           encoding="utf-8")

    def records(self, name: str):
        """(row, line, record) for each record: row counts records with the header as row 1
        (as Frictionless does); line is where the record starts in the file (a quoted cell
        may span lines)."""
        with open(self.path(name), encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            start = 1
            for row, record in enumerate(reader, start=1):
                yield row, start, record
                start = reader.line_num + 1

    def rows(self, name: str):
        """(row, line, {column: text}) for each data row of a file (see ``records``)."""
        records = self.records(name)
        _, _, header = next(records)
        for row, line, record in records:
            yield row, line, dict(zip(header, record))

    def fingerprint(self) -> str:
        """Hash of the descriptor and of every resource file: the package's identity."""
        h = hashlib.sha256(self.layout.datapackage.read_bytes())
        for res in self.descriptor["resources"]:
            h.update(res["path"].encode())
            try:
                h.update(self.path(res["name"]).read_bytes())
            except (OSError, DataError):
                h.update(b"<unreadable>")
        return h.hexdigest()

    def read(self, name: str) -> pd.DataFrame:
        """One resource as a typed DataFrame (callers validate first: see ``data.load``).

        Each file is parsed once per version; callers get their own copy."""
        path = self.path(name)
        _record_dependency(self.layout.relative(path))
        self.read_since_mark.add(name)
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in self._frames:
            self._frames[key] = _typed(self.read_raw(name), self.fields(name))
        return self._frames[key].copy()


def shape_problems(desc) -> list[str]:
    """What datapackage.json must look like before anything else can be checked."""
    if not isinstance(desc, dict):
        return ["the top level must be an object with a list of `resources`"]
    resources = desc.get("resources")
    if not isinstance(resources, list) or not resources:
        return ["`resources` must be a non-empty list"]
    problems = []
    for where, address in _addresses(desc):
        reason = links.problem(address)
        if reason:
            problems.append(f"{where}: {address!r} is refused: {reason}")
    if "://" in str(desc.get("profile", "")):
        problems.append("`profile` names an address; the book fetches nothing")
    for i, res in enumerate(resources, start=1):
        if not isinstance(res, dict):
            problems.append(f"resource {i} must be an object")
            continue
        label = f"resource {i} ({res.get('name', 'no name')})"
        if not isinstance(res.get("name"), str):
            problems.append(f"{label}: `name` must be a string")
        if not isinstance(res.get("path"), str):
            problems.append(f"{label}: `path` must be a string (one file inside data/)")
        schema = res.get("schema")
        if isinstance(schema, str):
            problems.append(f"{label}: `schema` must be written into the descriptor; "
                            f"{schema!r} would be read from elsewhere")
        elif not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) \
                or not all(isinstance(f, dict) and isinstance(f.get("name"), str)
                           for f in schema.get("fields", [])):
            problems.append(f"{label}: `schema` must be an object with a list of `fields`, "
                            "each with a `name`")
        if "://" in str(res.get("profile", "")):
            problems.append(f"{label}: `profile` names an address; the book fetches nothing")
        if isinstance(res.get("dialect"), str):
            problems.append(f"{label}: `dialect` must be written into the descriptor")
        if isinstance(res.get("path"), str):
            problem = path_problem(None, res["path"])
            if problem:
                problems.append(f"{label}: data/{res['path']}: {problem}")
    return problems


def _addresses(desc: dict):
    """The addresses the descriptor gives for the package and its resources (licences,
    sources, home page): each is published as a link."""
    parts = [("the package", desc)] + [(f"resource {r.get('name', i + 1)}", r)
                                       for i, r in enumerate(desc.get("resources", []))
                                       if isinstance(r, dict)]
    for label, part in parts:
        if isinstance(part.get("homepage"), str):
            yield f"{label}: `homepage`", part["homepage"]
        for key in ("licenses", "sources"):
            for i, item in enumerate(part.get(key) or []):
                if isinstance(item, dict) and isinstance(item.get("path"), str):
                    yield f"{label}: `{key}` {i + 1} `path`", item["path"]


def path_problem(folder: Path | None, rel: str) -> str | None:
    """Why ``rel`` may not be read as a file of the data folder (None when it may)."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", rel):
        return "a remote address; the book reads only files inside data/"
    if os.path.isabs(rel) or rel.startswith("~"):
        return "an absolute path; the book reads only files inside data/"
    if ".." in Path(rel).parts:
        return "the path leads out of data/ ('..'); the book reads only files inside data/"
    if folder is not None:
        target = folder / rel
        real = Path(os.path.realpath(target))
        if not real.is_relative_to(Path(os.path.realpath(folder))):
            return ("a symbolic link that leads out of data/; the book reads only files "
                    "inside data/")
    return None


def is_finite_number(text: str, kind: str) -> bool:
    """Strict numbers: digits, one point, an exponent; nothing infinite or not a number."""
    if not (INTEGER if kind == "integer" else NUMBER).fullmatch(text):
        return False
    return math.isfinite(float(text))


def _typed(df: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    import pandas as pd

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


def _record_dependency(rel: str) -> None:
    """Tell the notebook executor which data files this kernel read."""
    log = os.environ.get(DEPS_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(rel + "\n")

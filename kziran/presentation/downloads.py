"""The one writer of every CSV file the book publishes, and the metadata beside it.

A download is a plain CSV file (RFC 4180: the header is the first row, records end in
CRLF, cells quoted where needed), in UTF-8 with a byte-order mark, so that
``pandas.read_csv(path)`` and a spreadsheet's default import both read it as the table,
Cyrillic and dashes included. What the file is (its table, the edition and its version,
the data it was made from and their licences, the meaning and unit of each column) is not
written into it but beside it, as W3C CSV on the Web metadata (``<name>-metadata.json``).

Text from the registers is data, so it may begin like a spreadsheet formula. A *text* cell
that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a
leading apostrophe, which spreadsheets take to mean "this is text" (OWASP's advice against
CSV injection); numbers, negative ones included, stay numbers. The files in ``data/`` are
the record and stay as they are: cells are neutralised on the way out, here.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
DATATYPES = ("string", "integer", "number", "boolean", "date")
NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


@dataclass(frozen=True)
class Column:
    """One column of a download: its title (as a reader sees it), its CSVW datatype and,
    where it helps, what it means."""

    title: str
    datatype: str = "string"
    description: str = ""

    def __post_init__(self):
        if self.datatype not in DATATYPES:
            raise ValueError(f"unknown datatype {self.datatype!r} (one of {DATATYPES})")


@dataclass
class Download:
    """A table as it is published: columns, rows of plain values, and what it is."""

    columns: list[Column]
    rows: list[list]
    title: str
    description: str = ""
    sources: list[dict] = field(default_factory=list)  # {"title", "url", "licence"}
    licence: str = ""  # the licence of the table as a whole (our compilation)
    part_of: str = ""  # the edition, with its version
    creator: str = ""


def neutral(text: str) -> str:
    """A text cell as spreadsheets must show it: as text, never as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value, datatype: str) -> str:
    """One value as it is written: empty when missing; text neutralised."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if datatype == "boolean":
        if isinstance(value, str):
            return value  # "true" or "false", as the data write it
        return "true" if value else "false"
    if datatype in ("integer", "number"):
        if isinstance(value, str) and NUMBER.fullmatch(value):  # a value of the data, exact
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{value!r} is not a number")
        if datatype == "integer" or isinstance(value, int):
            return str(int(value))
        return repr(float(value))
    return neutral(str(value))


def csv_bytes(download: Download) -> bytes:
    """The CSV file: BOM, header, rows; RFC 4180 (CRLF, minimal quoting)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutral(c.title) for c in download.columns])
    for row in download.rows:
        if len(row) != len(download.columns):
            raise ValueError(f"a row of {len(row)} cells for {len(download.columns)} columns")
        writer.writerow([cell(v, c.datatype) for v, c in zip(row, download.columns)])
    return (BOM + buf.getvalue()).encode("utf-8")


def slug(text: str, length: int = 48) -> str:
    """A file name from a caption: ASCII words joined by hyphens, at most ``length``."""
    spaced = re.sub(r"[^\w]+", " ", text.split(":")[0].split(";")[0])
    ascii_ = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_.lower())
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > length:
            break
        out = f"{out}-{w}" if out else w
    return out or "table"


def metadata(download: Download, csv_name: str) -> dict:
    """CSV on the Web metadata of a download (``csv_name`` relative to the metadata file).

    Column names are ``c1``, ``c2``, …; their titles are what the CSV's header says."""
    columns = []
    for i, col in enumerate(download.columns, start=1):
        entry = {"name": f"c{i}", "titles": col.title, "datatype": col.datatype}
        if col.description:
            entry["dc:description"] = col.description
        columns.append(entry)
    md = {
        "@context": CSVW_CONTEXT,
        "url": csv_name,
        "dc:title": download.title,
        "dialect": {"encoding": "utf-8", "header": True, "lineTerminators": ["\r\n"],
                    "skipBlankRows": False},
        "tableSchema": {"columns": columns},
        "notes": [{"dc:description": (
            "A text cell that begins with =, +, -, @, a tab or a carriage return is written "
            "with a leading apostrophe, so that spreadsheets show it as text; numbers are "
            "written as numbers. The file is UTF-8 with a byte-order mark.")}],
    }
    if download.description:
        md["dc:description"] = download.description
    if download.creator:
        md["dc:creator"] = download.creator
    if download.part_of:
        md["dc:isPartOf"] = download.part_of
    if download.licence:
        md["dc:license"] = download.licence
    if download.sources:
        md["dc:source"] = [{k: v for k, v in (("@id", s.get("url")), ("dc:title", s.get("title")),
                                             ("dc:license", s.get("licence"))) if v}
                           for s in download.sources]
    return md

"""Sphinx extension: the manifest of an edition, ``_build/html/edition.json``.

Every HTML build writes a description of everything the edition states, so that two
editions can be compared (``make diff``, :mod:`kziran.tooling.diff`): its version, date
and commit; the SHA-256 of every data file; every glued value (key, page, the value as
computed and as printed on the page); every numbered table (label, number, caption, a hash
of its content and its rows); every figure (label, number, caption, a hash of the image and
the data files it was made from); every claim's verdict. The schema is ``SCHEMA`` below,
documented on the page about citing, and a test validates each build's manifest.

What a page holds is recorded when Sphinx reads it (``doctree-read``, kept with the
environment, so unchanged pages need not be read again); numbers and the rest are added
when the build finishes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from docutils import nodes

from ..data import Package
from ..paths import Layout
from . import citations, keep_per_page, provenance

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Manifest of an edition of the Kazakhstan–Iran executable edition",
    "type": "object",
    "required": ["edition", "data", "values", "tables", "figures", "claims"],
    "properties": {
        "edition": {"type": "object", "required": ["version", "date", "commit"],
                    "properties": {"version": {"type": "string"}, "date": {"type": "string"},
                                   "commit": {"type": "string"}}},
        "data": {"type": "object", "additionalProperties": {"type": "string",
                                                            "pattern": "^[0-9a-f]{64}$"}},
        "values": {"type": "array", "items": {
            "type": "object", "required": ["key", "page", "computed", "printed"],
            "properties": {"key": {"type": "string"}, "page": {"type": "string"},
                           "computed": {"type": ["string", "null"]},
                           "printed": {"type": ["array"], "items": {"type": "string"}}}}},
        "tables": {"type": "array", "items": {
            "type": "object", "required": ["label", "page", "number", "caption", "hash", "rows"],
            "properties": {"rows": {"type": "array", "items": {
                "type": "array", "items": {"type": "string"}}}}}},
        "figures": {"type": "array", "items": {
            "type": "object",
            "required": ["label", "page", "number", "caption", "image", "data_files"]}},
        "claims": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _caption(node) -> str:
    kind = nodes.title if isinstance(node, nodes.table) else nodes.caption
    found = next((c for c in node.children if isinstance(c, kind)), None)
    return " ".join(found.astext().split()) if found is not None else ""


def _read(app, doctree) -> None:
    """What one page states: its glued values, numbered tables and figures."""
    docname = app.env.docname
    page = {"values": {}, "tables": [], "figures": []}
    run = provenance.execution(app, docname)
    if run is not None:
        for cell in run["cells"]:
            for out in cell.get("outputs", []):
                meta = out.get("metadata", {}).get("scrapbook", {})
                if "name" not in meta:
                    continue
                data = out.get("data", {})
                text = data.get(meta.get("mime_prefix", "") + "text/markdown") or \
                    data.get(meta.get("mime_prefix", "") + "text/plain")
                page["values"][meta["name"]] = {"computed": text, "printed": []}
    for node in doctree.findall(nodes.inline):
        key = node.get("kziran_glue")
        if key:
            page["values"].setdefault(key, {"computed": None, "printed": []})["printed"].append(
                " ".join(node.astext().split()))
    for table in doctree.findall(nodes.table):
        label = next((i for i in table["ids"] if i.startswith("tbl-")), None)
        if label:
            rows = [[" ".join(e.astext().split()) for e in row.children]
                    for row in table.findall(nodes.row)]
            page["tables"].append({"label": label, "caption": _caption(table), "rows": rows,
                                   "hash": digest(json.dumps(rows, ensure_ascii=False))})
    for figure in doctree.findall(nodes.figure):
        label = next((i for i in figure["ids"] if i.startswith("fig-")), None)
        image = next(figure.findall(nodes.image), None)
        if label and image is not None:
            path = Path(app.srcdir) / image.get("candidates", {}).get("*", "")
            cell = run["glued"].get(label) if run else None
            files = provenance.origin(app, docname, cell)["files"] if cell is not None else []
            page["figures"].append({"label": label, "caption": _caption(figure),
                                    "image": digest(path.read_bytes()) if path.is_file() else "",
                                    "data_files": [f for f, _ in files]})
    if not hasattr(app.env, "kziran_manifest"):
        app.env.kziran_manifest = {}
    app.env.kziran_manifest[docname] = page


def _verdicts(pkg: Package) -> dict[str, str]:
    """Every claim's verdict (the file is valid: the notebooks were built from it)."""
    return {r["claim_id"]: r["verdict"] for _, _, r in pkg.rows("claims")}


def manifest(app) -> dict:
    layout = Layout(app.srcdir)
    meta = citations.load_meta(layout)
    pkg = Package(layout)
    files = [layout.datapackage] + [pkg.path(n) for n in pkg.names()]
    out = {"edition": {"version": meta.version, "date": meta.released.isoformat(),
                       "commit": provenance.commit(app)},
           "data": {layout.relative(f): digest(f.read_bytes()) for f in files},
           "values": [], "tables": [], "figures": [],
           "claims": _verdicts(pkg)}
    pages = getattr(app.env, "kziran_manifest", {})
    for docname in sorted(pages):
        page, numbers = pages[docname], app.env.toc_fignumbers.get(docname, {})
        for key, value in sorted(page["values"].items()):
            out["values"].append({"key": key, "page": docname, **value})
        for kind, items in (("table", page["tables"]), ("figure", page["figures"])):
            for item in items:
                number = ".".join(map(str, numbers.get(kind, {}).get(item["label"], ())))
                out[f"{kind}s"].append({"label": item["label"], "page": docname,
                                        "number": number, **{k: v for k, v in item.items()
                                                             if k != "label"}})
    return out


def _finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        text = json.dumps(manifest(app), ensure_ascii=False, indent=1) + "\n"
        (Path(app.outdir) / "edition.json").write_text(text, encoding="utf-8")


def setup(app):
    app.connect("doctree-read", _read, priority=900)  # after the image collector
    keep_per_page(app, "kziran_manifest")
    app.connect("build-finished", _finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}

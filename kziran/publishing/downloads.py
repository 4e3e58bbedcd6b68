"""Sphinx extension: every table and every data file as a download, with its metadata.

- Under each numbered table of a notebook page (HTML), a line "Download this table: CSV ·
  metadata". The files are written from the table's data in the executed notebook (see
  :class:`kziran.presentation.tables.Table`) by the one CSV writer of the book
  (:mod:`kziran.presentation.downloads`), named by the number the build gives the table:
  ``tables/table-4.2-kazakhstan-iran-goods-trade-in-kazakhstan-s-statistics.csv`` and
  ``…-metadata.json`` (W3C CSV on the Web) beside it.
- Every resource of the data package is published the same way under ``data/`` (the
  files of the repository's ``data/`` stay as they are: they are the record).
  ``{data-file}`claims``` links to one, and the ``kziran-data-downloads`` directive lists
  them all with their licences.
- Files no table of the build writes any more are removed when the build finishes.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import labels, links
from ..data import Package
from ..paths import Layout
from ..presentation import downloads
from ..presentation.tables import MIME
from . import citations, provenance

TABLES = "tables"
DATA = "data"
DATATYPES = {"string": "string", "integer": "integer", "number": "number",
             "boolean": "boolean", "date": "date"}


def _lang(app) -> str:
    return app.config.language or "en"


def _edition(app) -> tuple[str, str]:
    """The edition as the metadata name it ("title, version …"), and its authors."""
    if "kziran_edition" not in app.__dict__:
        meta = citations.load_meta(Layout(app.srcdir))
        app.kziran_edition = (f"{meta.title}, version {citations.version_label(meta)}",
                              "; ".join(citations.display_name(a) for a in meta.authors))
    return app.kziran_edition


def _write(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _data_file(pkg: Package, name: str) -> str:
    return Path(pkg.resource(name)["path"]).name


def _sources(pkg: Package, names: list[str], base: str) -> list[dict]:
    out = []
    for name in names:
        res = pkg.resource(name)
        licence = (res.get("licenses") or pkg.descriptor["licenses"])[0]
        out.append({"url": posixpath.join(base, DATA, _data_file(pkg, name)),
                    "title": res.get("title", name), "licence": licence.get("path", "")})
    return out


def _links_node(csv_href: str, md_href: str, lang: str, lead: str) -> nodes.paragraph:
    para = nodes.paragraph(classes=["kziran-downloads"])
    para += nodes.Text(lead + " ")
    para += nodes.reference("", labels.text("ui.download_csv", lang),
                            refuri=links.checked(csv_href, relative=True))
    para += nodes.Text(" · ")
    para += nodes.reference("", labels.text("ui.download_metadata", lang),
                            refuri=links.checked(md_href, relative=True))
    return para


def payloads(app, docname: str) -> dict[str, dict]:
    """The tables of a notebook page as data, by label (from its execution)."""
    run = provenance.execution(app, docname)
    found = {}
    for cell in (run or {}).get("cells", []):
        for out in cell.get("outputs", []):
            payload = out.get("data", {}).get(MIME)
            if payload:
                found[payload["name"]] = payload
    return found


def _plan(app, env) -> list[str]:
    """Once the tables are numbered: the file each table of each page is written to."""
    plan = {}
    for docname, kinds in env.toc_fignumbers.items():
        tables = payloads(app, docname)
        for label, number in kinds.get("table", {}).items():
            if label in tables:
                caption = tables[label]["languages"]["en"]["caption"]
                plan.setdefault(docname, {})[label] = (
                    ".".join(map(str, number)),
                    f"table-{'.'.join(map(str, number))}-{downloads.slug(caption)}")
    env.kziran_table_files = plan
    return []


def _resolved(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    plan = getattr(app.env, "kziran_table_files", {}).get(docname)
    if not plan:
        return
    lang = _lang(app)
    pkg = Package(Layout(app.srcdir))
    tables = payloads(app, docname)
    title, creator = _edition(app)
    out = Path(app.outdir) / TABLES
    base = posixpath.relpath(TABLES, posixpath.dirname(docname) or ".")
    for table in list(doctree.findall(nodes.table)):
        label = next((i for i in table["ids"] if i in plan), None)
        if label is None:
            continue
        number, stem = plan[label]
        payload = tables[label]
        content = payload["languages"].get(lang) or payload["languages"]["en"]
        table_file = downloads.Download(
            columns=[downloads.Column(c["title"], c["datatype"]) for c in content["columns"]],
            rows=content["rows"],
            title=f"{labels.text('ui.table_n', lang, n=number)}: {content['caption']}",
            sources=_sources(pkg, payload["data"], ".."), licence=_licence(pkg),
            part_of=title, creator=creator)
        _write(out / f"{stem}.csv", downloads.csv_bytes(table_file))
        metadata = downloads.metadata(table_file, f"{stem}.csv")
        _write(out / f"{stem}-metadata.json",
               (json.dumps(metadata, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        para = _links_node(f"{base}/{stem}.csv", f"{base}/{stem}-metadata.json", lang,
                           labels.text("ui.download", lang))
        table.parent.insert(table.parent.index(table) + 1, para)


def _licence(pkg: Package) -> str:
    return pkg.descriptor["licenses"][0].get("path", "")


def publish_data(app) -> list[str]:
    """Every resource of the data package, under ``data/`` of the HTML output."""
    layout = Layout(app.srcdir)
    pkg = Package(layout)
    title, creator = _edition(app)
    names = []
    for name in pkg.names():
        fields = pkg.fields(name)
        rows = [[cell for cell in record] for _, _, record in list(pkg.records(name))[1:]]
        res = pkg.resource(name)
        licence = (res.get("licenses") or pkg.descriptor["licenses"])[0]
        table = downloads.Download(
            columns=[downloads.Column(f.get("title") or f["name"], DATATYPES[f["type"]],
                                      f.get("description", "")) for f in fields],
            rows=[[None if c == "" else c for c in r] for r in rows],
            title=res.get("title", name), description=res.get("description", ""),
            licence=licence.get("path", ""), part_of=title, creator=creator)
        file = _data_file(pkg, name)
        out = Path(app.outdir) / DATA
        _write(out / file, downloads.csv_bytes(table))
        _write(out / f"{Path(file).stem}-metadata.json",
               (json.dumps(downloads.metadata(table, file), ensure_ascii=False, indent=1)
                + "\n").encode("utf-8"))
        names.append(name)
    return names


def _finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    publish_data(app)
    keep = {f"{stem}{suffix}" for plan in getattr(app.env, "kziran_table_files", {}).values()
            for _, stem in plan.values() for suffix in (".csv", "-metadata.json")}
    folder = Path(app.outdir) / TABLES
    for path in folder.glob("*") if folder.exists() else ():
        if path.name not in keep:
            path.unlink()


def data_file_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    pkg = Package(Layout(env.srcdir))
    lang = env.config.language or "en"
    try:
        file = _data_file(pkg, text.strip())
    except KeyError as exc:
        msg = inliner.reporter.error(f"data-file: {exc}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    base = posixpath.relpath(DATA, posixpath.dirname(env.docname) or ".")
    stem = Path(file).stem
    node = nodes.inline(classes=["kziran-data-file"])
    node += nodes.reference("", file, refuri=links.checked(f"{base}/{file}", relative=True))
    node += nodes.Text(" (")
    node += nodes.reference("", labels.text("ui.download_metadata", lang),
                            refuri=links.checked(f"{base}/{stem}-metadata.json", relative=True))
    node += nodes.Text(")")
    return [node], []


class DataDownloads(SphinxDirective):
    """``kziran-data-downloads``: every resource of the data package, with its licence and
    links to its published CSV file and metadata."""

    def run(self):
        pkg = Package(Layout(self.env.srcdir))
        self.env.note_dependency(str(pkg.layout.datapackage))
        lang = self.config.language or "en"
        base = posixpath.relpath(DATA, posixpath.dirname(self.env.docname) or ".")
        items = nodes.bullet_list()
        for name in pkg.names():
            res = pkg.resource(name)
            file = _data_file(pkg, name)
            licence = (res.get("licenses") or pkg.descriptor["licenses"])[0]
            para = nodes.paragraph()
            para += nodes.strong(text=res.get("title", name))
            para += nodes.Text(f" ({labels.text('licence.' + licence['name'], lang)}): ")
            para += nodes.reference("", file, refuri=links.checked(f"{base}/{file}",
                                                                   relative=True))
            para += nodes.Text(" · ")
            para += nodes.reference("", labels.text("ui.download_metadata", lang),
                                    refuri=links.checked(
                                        f"{base}/{Path(file).stem}-metadata.json",
                                        relative=True))
            items += nodes.list_item("", para)
        return [items]


def setup(app):
    app.add_role("data-file", data_file_role)
    app.add_directive("kziran-data-downloads", DataDownloads)
    # after Sphinx numbers the tables (its collector's env-get-updated), before it pickles
    app.connect("env-get-updated", _plan, priority=900)
    app.connect("doctree-resolved", _resolved, priority=300)
    app.connect("build-finished", _finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}

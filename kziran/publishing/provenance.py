"""Sphinx extension: where every table, figure and glued number comes from.

Under each numbered table and figure of a notebook page, a collapsed block (class
``provenance``) shows the code of the cell that made it, the data files that cell read
with a short SHA-256 of each, the commit the edition was built from, and a link to the
notebook at that cell; the PDF edition prints the same in one short line. (A number glued
into the prose says where it comes from itself: :mod:`.glued`.)

Everything comes from the execution the page shows: jupyter-cache's record of it holds the
executed notebook and, in its ``data``, the files each cell read with their hashes
(written by :mod:`kziran.tooling.execute`). A glued figure is found by its name: the key
it is glued under is the figure's ``:name:``.
"""

from __future__ import annotations

import html
import posixpath
import subprocess
from pathlib import Path

import nbformat
from docutils import nodes

from .. import editions, labels, links
from . import cache


def commit(app) -> str:
    """The commit the edition is built from (and whether the work tree differs from it)."""
    if getattr(app, "kziran_commit", None) is None:
        def git(*args):
            return subprocess.run(["git", *args], cwd=app.srcdir, capture_output=True,
                                  text=True, check=False)

        head = git("rev-parse", "--short=12", "HEAD")
        app.kziran_commit = head.stdout.strip() if head.returncode == 0 else "unknown"
        if head.returncode == 0 and git("status", "--porcelain", "--untracked-files=no").stdout:
            app.kziran_commit += " with uncommitted changes"
    return app.kziran_commit


def execution(app, docname: str) -> dict | None:
    """The executed notebook of a page and its record's data (None for other pages)."""
    memo = app.__dict__.setdefault("kziran_executions", {})
    if docname not in memo:
        source = Path(app.srcdir) / f"{docname}.ipynb"
        memo[docname] = None
        if source.exists():
            nb = nbformat.read(source, as_version=4)
            try:
                record = cache(app).match_cache_notebook(nb)
            except KeyError:
                return None
            # The cached notebook holds the code cells only; the page's cell indices are
            # those of the full notebook, matched to the execution by cell id.
            executed = {c.get("id"): c for c in cache(app).get_cache_bundle(record.pk).nb.cells}
            cells = [executed.get(c.get("id"), c) for c in nb.cells]
            glued, outputs = {}, {}
            for cell in cells:
                for out in cell.get("outputs", []):
                    name = out.get("metadata", {}).get("scrapbook", {}).get("name")
                    if name:
                        glued[name], outputs[name] = cell, out
            memo[docname] = {"cells": cells, "data": record.data or {}, "glued": glued,
                             "outputs": outputs}
    return memo[docname]


def origin(app, docname: str, cell) -> dict:
    run = execution(app, docname)
    inputs = run["data"].get("inputs", {})
    files = run["data"].get("cells", {}).get(cell.get("id"), [])
    return {"notebook": f"{docname}.ipynb", "cell": cell.get("id"), "code": cell.source,
            "files": [(f, inputs.get(f, "")[:12]) for f in files], "commit": commit(app)}


def block_html(o: dict, docname: str, noun: str, lang: str = editions.SOURCE) -> str:
    link = posixpath.relpath(f"_sources/{o['notebook']}", posixpath.dirname(docname) or ".")
    files = "".join(f"<li><code>{html.escape(f)}</code> (SHA-256 {html.escape(h)}…)</li>"
                    for f, h in o["files"]) or (
        f"<li>{html.escape(labels.text('provenance.no_files', lang))}</li>")
    parts = {"cell": f'<a href="{links.href(link + "#cell-" + o["cell"], relative=True)}">'
                     f'{html.escape(o["cell"])}</a>',
             "notebook": f"<code>{html.escape(o['notebook'])}</code>",
             "commit": f"<code>{html.escape(o['commit'])}</code>"}
    where = html.escape(labels.text("provenance.cell", lang, **{k: f"{{{k}}}" for k in parts}))
    summary = html.escape(labels.text(f"provenance.summary.{noun}", lang))
    return (f'<details class="provenance"><summary>{summary}</summary>'
            f"<p>{where.format(**parts)}</p>"
            f'<div class="highlight"><pre>{html.escape(o["code"])}</pre></div>'
            f"<p>{html.escape(labels.text('provenance.files', lang))}</p><ul>{files}</ul>"
            "</details>")


def line_for_print(o: dict, lang: str = editions.SOURCE) -> nodes.paragraph:
    files = ", ".join(f"{f} ({h})" for f, h in o["files"]) or labels.text(
        "provenance.no_files", lang)
    return nodes.paragraph("", labels.text("provenance.print", lang, notebook=o["notebook"],
                                           cell=o["cell"], files=files, commit=o["commit"]),
                           classes=["kziran-provenance"])


def cell_of(node, run) -> object | None:
    """The notebook cell that made a table (its output) or a glued figure (its key)."""
    parent = node
    while parent is not None:
        if parent.get("nb_element") == "cell_code" and parent.get("cell_index") is not None:
            return run["cells"][parent["cell_index"]]
        parent = parent.parent
    return next((run["glued"][i] for i in node["ids"] if i in run["glued"]), None)


def _page_of(app, node, default: str) -> str:
    """The page a node comes from (in the PDF all pages are one document): the notebook
    file named as the source of the node or of the nearest node above it."""
    parent = node
    while parent is not None:
        source = parent.get("source") or getattr(parent, "source", None)
        if source and str(source).endswith(".ipynb"):
            return str(Path(source).relative_to(app.srcdir).with_suffix(""))
        parent = parent.parent
    return default


def _resolved(app, doctree, root) -> None:
    for node in list(doctree.findall(lambda n: isinstance(n, (nodes.table, nodes.figure)))):
        docname = _page_of(app, node, root)
        run = execution(app, docname)
        if run is None:
            continue
        cell = cell_of(node, run)
        if cell is None or not node["ids"]:
            continue
        o = origin(app, docname, cell)
        after = node
        following = node.next_node(descend=False, siblings=True)
        if isinstance(following, nodes.paragraph) and "kziran-downloads" in following["classes"]:
            after = following
        noun = "table" if isinstance(node, nodes.table) else "figure"
        lang = app.config.language or editions.SOURCE
        new = (nodes.raw("", block_html(o, docname, noun, lang), format="html")
               if app.builder.format == "html" else line_for_print(o, lang))
        after.parent.insert(after.parent.index(after) + 1, new)


def setup(app):
    app.connect("doctree-resolved", _resolved, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension of the book: data-aware re-reading and generated bibliography.

- ``config-inited``: writes the BibTeX file from data/sources.csv before
  sphinxcontrib-bibtex reads it.
- ``doctree-read``: every PNG image without alt text takes the alt text that
  kziran.book.Figure computed from the data and stored in the PNG ("Description").
- ``env-get-outdated``: a notebook whose execution key (see kziran.execute) changed since
  Sphinx last read it is read again, although its file did not change, so that fresh
  outputs from the cache reach the page.
- started by ``python -m kziran book`` (kziran.execute._Sphinx) while notebooks are still
  executing, Sphinx also re-reads the pages of those notebooks, reads them after all the
  others (``env-before-read-docs``), and, before the first of them (``source-read``),
  waits until the executor says every output is stored.
- at exit, the objects of the build are frozen out of the garbage collector
  (``gc.freeze``): the interpreter's final collection would otherwise walk every doctree
  and the whole environment, about 0.7 s after a full build, only to free memory that the
  operating system reclaims anyway. Files are closed by Sphinx before that.
- the ``std`` domain resolves each ``{numref}`` from a doctree it unpickles once per
  build, not once per reference (Sphinx 7 unpickles the whole target page every time: with
  17 references into the results page that was about a second of every full build).
"""

from __future__ import annotations

import atexit
import gc
import os

from sphinx.domains.std import StandardDomain
from sphinx.errors import SphinxError

from . import bib, paths
from .execute import EXECUTING, WAIT_FD, load_manifest


class NumrefOnceDomain(StandardDomain):
    """Sphinx's standard domain, reading each target doctree once per build for numref.

    ``_resolve_numref_xref`` only looks target nodes up (their ids, type and number), so
    handing it the same unpickled doctree again is safe. The memo lives on the builder,
    which is not pickled with the environment and is new in every build.
    """

    def _resolve_numref_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        memo = builder.__dict__.setdefault("_kziran_numref_doctrees", {})
        real = env.get_doctree

        def get_doctree(docname):
            if docname not in memo:
                memo[docname] = real(docname)
            return memo[docname]

        env.get_doctree = get_doctree
        try:
            return super()._resolve_numref_xref(env, fromdocname, builder, typ, target,
                                                node, contnode)
        finally:
            del env.get_doctree  # the instance attribute; the method shows through again


def _write_bib(app, config) -> None:
    bib.write()


def _executing() -> set[str]:
    """Under `python -m kziran book`: the pages whose notebooks are still being executed."""
    names = os.environ.get(EXECUTING, "")
    return {n for n in names.split(",") if n}


def _wait_for_execution() -> None:
    """Under `python -m kziran book`, wait until the notebooks are executed and cached."""
    fd = os.environ.pop(WAIT_FD, None)
    if fd is None:
        return
    with os.fdopen(int(fd), "rb") as pipe:
        word = pipe.read()
    if word != b"ok":
        raise SphinxError("the notebooks were not executed (see the executor's message)")


def _executing_last(app, env, docnames) -> None:
    """Read the pages that do not wait for an execution first (while it ends)."""
    executing = _executing()
    docnames.sort(key=lambda d: d in executing)


def _before_reading(app, docname, source) -> None:
    if docname in _executing():
        _wait_for_execution()


def _outdated(app, env, added, changed, removed):
    executing = _executing()
    manifest = load_manifest()
    seen = getattr(env, "kziran_exec_keys", {})
    extra = []
    for rel, entry in manifest.items():
        docname = rel.rsplit(".", 1)[0]
        if docname not in env.found_docs:
            continue
        if seen.get(docname) != entry["key"] and docname not in added | changed:
            extra.append(docname)
        seen[docname] = entry["key"]
    # Pages whose notebooks are being executed now will have new outputs: read them again
    # (last, once stored: see _before_reading).
    extra += sorted(d for d in executing
                    if d in env.found_docs and d not in added | changed and d not in extra)
    env.kziran_exec_keys = seen
    return extra


def _remember_keys(app, env) -> None:
    """After reading, record the execution key each notebook page was read with."""
    _wait_for_execution()  # (if no page waited: an execution whose page is not in the book)
    seen = getattr(env, "kziran_exec_keys", {})
    for rel, entry in load_manifest().items():
        seen[rel.rsplit(".", 1)[0]] = entry["key"]
    env.kziran_exec_keys = seen


def _alt_from_png(app, doctree) -> None:
    from docutils import nodes
    from PIL import Image

    docname = app.env.docname
    for node in doctree.findall(nodes.image):
        uri = node.get("uri", "")
        if node.get("alt") or not uri.endswith(".png"):
            continue
        # Sphinx's image collector has already made the URI relative to the source folder
        # (its candidates); relfn2path would read it relative to the page's folder.
        rel = node.get("candidates", {}).get("*")
        path = str(paths.ROOT / rel) if rel else app.env.relfn2path(uri, docname)[1]
        try:
            with Image.open(path) as img:
                alt = img.text.get("Description")
        except OSError:
            continue
        if alt:
            node["alt"] = alt


def setup(app):
    atexit.register(gc.freeze)  # runs first among the exit handlers (they run in reverse)
    app.add_domain(NumrefOnceDomain, override=True)
    app.connect("config-inited", _write_bib, priority=100)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-before-read-docs", _executing_last)
    app.connect("source-read", _before_reading, priority=1)
    app.connect("env-updated", _remember_keys)
    app.connect("doctree-read", _alt_from_png)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}

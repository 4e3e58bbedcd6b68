"""Sphinx extension: no page is older than the outputs it shows.

Sphinx reads a page again when its source file changed. A notebook's outputs can change
while its file does not (the executor stored a new execution after a data file changed),
and a build can be interrupted after Sphinx read the new outputs but before it wrote the
pages. Two rules cover both:

- a notebook page is read again when its execution in the cache (jupyter-cache's record,
  by its identity and time) is not the one the page was read with (when nothing was
  stored in the cache since the last build, no page needs that check);
- a build that did not finish is noticed by the next one (a marker beside the doctrees,
  written when a build starts and removed when it finishes without error), which then
  reads every page again.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from . import cache, keep_per_page


def _execution(app, docname: str) -> str | None:
    """The identity of the stored execution MyST-NB will show for this page."""
    source = Path(app.srcdir) / f"{docname}.ipynb"
    if not source.exists():
        return None
    try:
        record = cache(app).match_cache_notebook(nbformat.read(source, as_version=4))
    except KeyError:
        return None
    return f"{record.pk}@{record.created.isoformat()}"


def _marker(app) -> Path:
    return Path(app.doctreedir) / "kziran-build-incomplete"


def _started(app) -> None:
    marker = _marker(app)
    app.kziran_reread_all = marker.exists()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("a build started and has not finished\n", encoding="utf-8")


def _store_state(app) -> float | None:
    """When the cache's database was last written (None when there is none)."""
    db = Path(app.config.nb_execution_cache_path) / "global.db"
    return db.stat().st_mtime_ns if db.exists() else None


def _outdated(app, env, added, changed, removed):
    seen = getattr(env, "kziran_executions", {})
    if app.kziran_reread_all:
        return sorted(env.found_docs - added - changed)
    # Unless an execution was stored since the last build, no page's outputs changed.
    if getattr(env, "kziran_store_state", None) == _store_state(app) is not None:
        return []
    return sorted(d for d in env.found_docs - added - changed
                  if d in seen and seen[d] != _execution(app, d))


def _remember_store(app, env) -> None:
    env.kziran_store_state = _store_state(app)


def _read(app, doctree) -> None:
    if not hasattr(app.env, "kziran_executions"):
        app.env.kziran_executions = {}
    app.env.kziran_executions[app.env.docname] = _execution(app, app.env.docname)


def _finished(app, exception) -> None:
    if exception is None:
        _marker(app).unlink(missing_ok=True)


def setup(app):
    app.connect("builder-inited", _started)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-updated", _remember_store)
    app.connect("doctree-read", _read)
    keep_per_page(app, "kziran_executions")
    app.connect("build-finished", _finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 2}

"""The execution cache follows the data: a changed file re-executes its readers, only them.

One scenario on a copy of the project that starts from the main build's warm cache (or
fills it), so that every step costs only the executions it is about.
"""

from __future__ import annotations

import csv
import io
import json
import shutil

import nbformat
import pytest
from conftest import ROOT, processes_under, run_py

BOOK_ARGS = ("--builder", "html", "--warningiserror", "--nitpick", "--keep-going", "--quiet")


def manifest(d):
    return json.loads((d / "_build" / ".jupyter_cache" / "kziran-manifest.json").read_text())


def executed(result) -> set[str]:
    return {line.split(":")[0].strip() for line in result.stdout.splitlines()
            if line.startswith("  notebooks/")}


def scheduled(result) -> set[str]:
    """The notebooks a run set out to execute (its first line names them)."""
    for line in result.stdout.splitlines():
        if line.startswith(("notebooks: executing", "notebooks: would")):
            return {f"notebooks/{n.strip()}" for n in line.split(":", 2)[2].split(",")}
    return set()


def test_cache_scenario(project_copy):
    d = project_copy
    cache = ROOT / "_build" / ".jupyter_cache"
    if (cache / "kziran-manifest.json").exists():
        shutil.copytree(cache, d / "_build" / ".jupyter_cache")
        # The same data were validated for the main build: keep that record too.
        if (ROOT / "_build" / ".validated").exists():
            shutil.copytree(ROOT / "_build" / ".validated", d / "_build" / ".validated")
    first = run_py(d, "-m", "kziran", "execute")
    assert first.returncode == 0, first.stderr

    # 1. Nothing changed: nothing would run.
    again = run_py(d, "-m", "kziran", "execute", "--dry-run")
    assert scheduled(again) == set() and "all outputs are current" in again.stdout

    # 2. A data file changed: exactly the notebooks that read it run again, and the book
    # built beside them (`make book` runs this command) shows their new outputs: Sphinx
    # reads those pages only after their executions are stored.
    readers = {nb for nb, e in manifest(d).items() if "data/sources.csv" in e["deps"]}
    assert readers and len(readers) < 5, readers
    assert "notebooks/03_discussion.ipynb" in readers  # its table lists the cited works
    path = d / "data" / "sources.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    cited = next(r for r in rows if r[rows[0].index("role")] == "cited_by_article")
    cited[rows[0].index("title")] += " EDITED-IN-A-TEST"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    assert scheduled(run_py(d, "-m", "kziran", "execute", "--dry-run")) == readers
    third = run_py(d, "-m", "kziran", "book", *BOOK_ARGS)
    assert third.returncode == 0, third.stdout[-2000:] + third.stderr[-2000:]
    assert scheduled(third) == executed(third) == readers
    page = d / "_build" / "html" / "notebooks" / "03_discussion.html"
    assert "EDITED-IN-A-TEST" in page.read_text(encoding="utf-8")
    assert scheduled(run_py(d, "-m", "kziran", "execute", "--dry-run")) == set()

    # 3. One notebook's code changed: only it runs. The change makes it raise at once,
    # which also shows that a failing notebook fails the build (`make book` runs this
    # command), named with its error, and stops the Sphinx that had started beside it
    # before it wrote a page.
    nb_path = d / "notebooks" / "03_discussion.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("raise RuntimeError('boom')"))
    nbformat.write(nb, nb_path)
    fourth = run_py(d, "-m", "kziran", "book", *BOOK_ARGS)
    assert scheduled(fourth) == {"notebooks/03_discussion.ipynb"}, fourth.stdout
    assert fourth.returncode != 0
    assert "03_discussion.ipynb" in fourth.stderr and "boom" in fourth.stderr
    # Nothing of the failed run was recorded: it is still due; no page was written and
    # no process was left behind.
    assert "notebooks/03_discussion.ipynb" not in manifest(d)
    assert "boom" not in page.read_text(encoding="utf-8")  # the page of step 2 stands
    assert not processes_under(d)


def test_sphinx_re_reads_pages_whose_outputs_changed():
    from types import SimpleNamespace

    from kziran import sphinxext

    env = SimpleNamespace(found_docs={"notebooks/01_introduction", "book/index"})
    orig = sphinxext.load_manifest
    try:
        sphinxext.load_manifest = lambda: {"notebooks/01_introduction.ipynb": {"key": "a"}}
        assert sphinxext._outdated(None, env, set(), set(), set()) == ["notebooks/01_introduction"]
        assert sphinxext._outdated(None, env, set(), set(), set()) == []
        sphinxext.load_manifest = lambda: {"notebooks/01_introduction.ipynb": {"key": "b"}}
        assert sphinxext._outdated(None, env, set(), set(), set()) == ["notebooks/01_introduction"]
    finally:
        sphinxext.load_manifest = orig


def test_sphinx_reads_executing_pages_last_and_only_once_they_are_stored(monkeypatch):
    """The gate between the executor and the Sphinx it started (kziran book)."""
    import os
    import threading
    import time

    from kziran import execute, sphinxext

    monkeypatch.setenv(execute.EXECUTING, "notebooks/03_discussion,notebooks/04_results")
    docnames = ["book/index", "notebooks/03_discussion", "notebooks/02_methods",
                "notebooks/04_results", "book/claims"]
    sphinxext._executing_last(None, None, docnames)
    assert docnames[-2:] == ["notebooks/03_discussion", "notebooks/04_results"]
    assert docnames[:3] == ["book/index", "notebooks/02_methods", "book/claims"]

    read, write = os.pipe()
    monkeypatch.setenv(execute.WAIT_FD, str(read))
    sphinxext._before_reading(None, "notebooks/02_methods", [""])  # not executing: no wait
    done = threading.Event()
    reader = threading.Thread(target=lambda: (
        sphinxext._before_reading(None, "notebooks/03_discussion", [""]), done.set()))
    reader.start()
    time.sleep(0.3)
    assert not done.is_set(), "an executing page was read before its outputs were stored"
    os.write(write, b"ok")
    os.close(write)
    reader.join(timeout=5)
    assert done.is_set()
    # A failed execution (the executor closes the pipe without "ok") stops Sphinx.
    read, write = os.pipe()
    monkeypatch.setenv(execute.WAIT_FD, str(read))
    os.close(write)
    with pytest.raises(Exception, match="not executed"):
        sphinxext._before_reading(None, "notebooks/04_results", [""])

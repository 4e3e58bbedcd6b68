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
from conftest import ROOT, run_py


def manifest(d):
    return json.loads((d / "_build" / ".jupyter_cache" / "kziran-manifest.json").read_text())


def executed(result) -> set[str]:
    return {line.split(":")[0].strip() for line in result.stdout.splitlines()
            if line.startswith("  notebooks/")}


def test_cache_scenario(project_copy):
    d = project_copy
    cache = ROOT / "_build" / ".jupyter_cache"
    if (cache / "kziran-manifest.json").exists():
        shutil.copytree(cache, d / "_build" / ".jupyter_cache")
    first = run_py(d, "-m", "kziran", "execute")
    assert first.returncode == 0, first.stderr

    # 1. Nothing changed: nothing runs.
    again = run_py(d, "-m", "kziran", "execute")
    assert executed(again) == set() and "all outputs are current" in again.stdout

    # 2. A data file changed: exactly the notebooks that read it run again.
    readers = {nb for nb, e in manifest(d).items() if "data/sources.csv" in e["deps"]}
    assert readers and len(readers) < 5, readers
    path = d / "data" / "sources.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("note")] += " (edited in a test)"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    third = run_py(d, "-m", "kziran", "execute")
    assert third.returncode == 0, third.stderr
    assert executed(third) == readers

    # 3. One notebook's code changed: only it runs.
    nb_path = d / "notebooks" / "03_discussion.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source += "\n# a harmless edit"
    nbformat.write(nb, nb_path)
    fourth = run_py(d, "-m", "kziran", "execute")
    assert executed(fourth) == {"notebooks/03_discussion.ipynb"}

    # 4. A notebook that raises fails the run, naming the notebook and the error.
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('boom')"))
    nbformat.write(nb, nb_path)
    fifth = run_py(d, "-m", "kziran", "execute")
    assert fifth.returncode != 0
    assert "03_discussion.ipynb" in fifth.stderr and "boom" in fifth.stderr


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

"""The execution cache follows the data: a changed file re-executes its readers, only them."""

from __future__ import annotations

import csv
import io
import json

import nbformat

from conftest import run_py


def manifest(d):
    return json.loads((d / "_build" / ".jupyter_cache" / "kziran-manifest.json").read_text())


def executed(result) -> set[str]:
    return {line.split(":")[0].strip() for line in result.stdout.splitlines()
            if line.startswith("  notebooks/")}


def test_data_change_re_executes_exactly_its_readers(project_copy):
    d = project_copy
    first = run_py(d, "-m", "kziran", "execute")
    assert first.returncode == 0, first.stderr
    assert len(executed(first)) == 5
    again = run_py(d, "-m", "kziran", "execute")
    assert executed(again) == set() and "all outputs are current" in again.stdout

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


def test_editing_one_notebook_re_executes_only_it(project_copy):
    d = project_copy
    assert run_py(d, "-m", "kziran", "execute").returncode == 0
    path = d / "notebooks" / "03_discussion.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source += "\n# a harmless edit"
    nbformat.write(nb, path)
    result = run_py(d, "-m", "kziran", "execute")
    assert executed(result) == {"notebooks/03_discussion.ipynb"}


def test_a_failing_notebook_fails_the_run(project_copy):
    d = project_copy
    path = d / "notebooks" / "02_methods.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('boom')"))
    nbformat.write(nb, path)
    result = run_py(d, "-m", "kziran", "execute", "02_methods")
    assert result.returncode != 0
    assert "02_methods.ipynb" in result.stderr and "boom" in result.stderr


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

"""The execution cache follows the data: a changed file re-executes its readers, only them.

One scenario on the toy book (two small notebooks, one reading the bibliography and one the
events register), so that every step costs only the executions it is about.
"""

from __future__ import annotations

import csv
import io

import nbformat
from conftest import BOOK_ARGS, processes_under, run_py

SOURCES = "notebooks/toy_sources.ipynb"
EVENTS = "notebooks/toy_events.ipynb"


def scheduled(result) -> set[str]:
    """The notebooks a run set out to execute (its first line names them)."""
    for line in result.stdout.splitlines():
        if line.startswith(("notebooks: executing", "notebooks: would")):
            return {f"notebooks/{n.strip()}" for n in line.split(":", 2)[2].split(",")}
    return set()


def executed(result) -> set[str]:
    return {line.split(":")[0].strip() for line in result.stdout.splitlines()
            if line.startswith("  notebooks/")}


def edit_first_title(d, suffix: str) -> None:
    path = d / "data" / "sources.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("title")] += suffix
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_cache_scenario(toy_project):
    d = toy_project
    first = run_py(d, "-m", "kziran", "book", *BOOK_ARGS)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    assert executed(first) == {SOURCES, EVENTS}
    # The real chapters are in notebooks/ but not in the toy's table of contents.
    assert "notebooks/04_results.ipynb is not in _toc.yml" in first.stderr

    # 1. Nothing changed: nothing would run.
    again = run_py(d, "-m", "kziran", "execute", "--dry-run")
    assert scheduled(again) == set() and "all outputs are current" in again.stdout

    # 2. A data file changed: exactly its reader runs again, and the book shows its new
    # output although the notebook's file did not change.
    edit_first_title(d, " EDITED-IN-A-TEST")
    dry = run_py(d, "-m", "kziran", "execute", "--dry-run")
    assert scheduled(dry) == {SOURCES} and "data/sources.csv" in dry.stdout
    second = run_py(d, "-m", "kziran", "book", *BOOK_ARGS)
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    assert executed(second) == {SOURCES}
    page = d / "_build" / "html" / "notebooks" / "toy_sources.html"
    assert "EDITED-IN-A-TEST" in page.read_text(encoding="utf-8")

    # 3. A notebook's code changed so that it raises: only it runs, the build fails naming
    # it and its error, nothing of the failed run is stored, the page of step 2 stands.
    nb = nbformat.read(d / SOURCES, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("raise RuntimeError('boom')"))
    nbformat.write(nb, d / SOURCES)
    third = run_py(d, "-m", "kziran", "book", *BOOK_ARGS)
    assert scheduled(third) == {SOURCES}, third.stdout
    assert third.returncode != 0
    assert "toy_sources.ipynb" in third.stderr and "boom" in third.stderr
    assert "Traceback" not in third.stderr.split("failed:", 1)[0]
    assert scheduled(run_py(d, "-m", "kziran", "execute", "--dry-run")) == {SOURCES}
    assert "boom" not in page.read_text(encoding="utf-8")
    assert not processes_under(d)

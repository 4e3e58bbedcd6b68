"""The build follows the data, and never shows a page older than its outputs.

One scenario on the toy book (two small notebooks, one reading the bibliography and one the
events register), so that every step costs only the executions it is about:

1. a second command waits for a build that is running (one build at a time);
2. a changed data file re-executes exactly the notebook that reads it;
3. a build killed while Sphinx writes its pages leaves no stale page behind: the next build
   notices it and reads every page again;
4. a notebook whose new code raises fails the build, named, and nothing of it is stored.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time

import nbformat
import yaml
from conftest import BOOK_ARGS, processes_under, run_py

SOURCES = "notebooks/toy_sources.ipynb"
EVENTS = "notebooks/toy_events.ipynb"
KILLER = '''"""Test scaffolding: kill this build when Sphinx starts writing pages."""
import os, signal
def _page(app, pagename, *args):
    if os.environ.get("TOY_KILL_IN_WRITE"):
        os.kill(os.getpid(), signal.SIGKILL)
def setup(app):
    app.connect("html-page-context", _page)
    return {"parallel_read_safe": True}
'''


def scheduled(result) -> set[str]:
    """The notebooks a run set out to execute (its first line names them)."""
    for line in result.stdout.splitlines():
        if line.startswith(("notebooks: executing", "notebooks: would")):
            return {f"notebooks/{n.strip()}" for n in line.split(":", 2)[2].split(",")}
    return set()


def executed(result) -> set[str]:
    return {line.split(":")[0].strip() for line in result.stdout.splitlines()
            if line.startswith("  notebooks/") and " s, read " in line}


def edit_first_title(d, text: str) -> None:
    path = d / "data" / "sources.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("title")] = text
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_cache_scenario(toy_project):
    d = toy_project
    (d / "toy_killer.py").write_text(KILLER, encoding="utf-8")
    config = yaml.safe_load((d / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["extra_extensions"].append("toy_killer")
    (d / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    # 1. While the first build runs, a second command waits for it, then finds it all done.
    first = subprocess.Popen([sys.executable, "-m", "kziran", "book", *BOOK_ARGS], cwd=d,
                             env=dict(os.environ, PYTHONPATH=str(d)), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    lock = d / "_build" / ".lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().startswith("pid")):
        assert time.monotonic() < deadline and first.poll() is None, first.communicate()
        time.sleep(0.05)
    waiting = run_py(d, "-m", "kziran", "execute", "--dry-run")
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, out[-2000:] + err[-2000:]
    assert {f"notebooks/{line.split(':')[0].strip()}" for line in out.splitlines()
            if line.startswith("  toy_")} >= {SOURCES, EVENTS}
    assert "another build is running in this checkout" in waiting.stderr
    assert "all outputs are current" in waiting.stdout
    # The real chapters are in notebooks/ but not in the toy's table of contents.
    assert "notebooks/04_results.ipynb is not in _toc.yml" in err

    # 2. A data file changed: exactly its reader is due, and says why.
    edit_first_title(d, "EDITED-IN-A-TEST")
    dry = run_py(d, "-m", "kziran", "execute", "--dry-run")
    assert scheduled(dry) == {SOURCES} and "data/sources.csv" in dry.stdout

    # 3. The build is killed as Sphinx starts writing: the page is still the old one ...
    page = d / "_build" / "html" / "notebooks" / "toy_sources.html"
    killed = run_py(d, "-m", "kziran", "book", *BOOK_ARGS, env={"TOY_KILL_IN_WRITE": "1"})
    assert killed.returncode != 0 and executed(killed) == {SOURCES}
    assert "EDITED-IN-A-TEST" not in page.read_text(encoding="utf-8")
    # ... and the next build, with nothing left to execute, still brings it up to date.
    again = run_py(d, "-m", "kziran", "book", *BOOK_ARGS)
    assert again.returncode == 0, again.stderr[-2000:]
    assert executed(again) == set()
    assert "EDITED-IN-A-TEST" in page.read_text(encoding="utf-8")

    # 4. A notebook's code changed so that it raises: only it runs, the build fails naming
    # it and its error, nothing of the failed run is stored, the page of step 3 stands.
    nb = nbformat.read(d / SOURCES, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("raise RuntimeError('boom')"))
    nbformat.write(nb, d / SOURCES)
    fourth = run_py(d, "-m", "kziran", "book", *BOOK_ARGS)
    assert scheduled(fourth) == {SOURCES}, fourth.stdout
    assert fourth.returncode != 0
    assert "toy_sources.ipynb" in fourth.stderr and "boom" in fourth.stderr
    assert "Traceback" not in fourth.stderr.split("failed:", 1)[0]
    assert scheduled(run_py(d, "-m", "kziran", "execute", "--dry-run")) == {SOURCES}
    assert "boom" not in page.read_text(encoding="utf-8")
    assert not processes_under(d)

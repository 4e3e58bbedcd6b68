"""Execute the book's notebooks, in parallel, into the cache that MyST-NB reads.

MyST-NB (``execute_notebooks: cache``) finds a notebook's outputs in jupyter-cache by a
hash of its code cells, so on its own it would show stale outputs after a data file
changed. While a notebook runs, the data package logs every file it reads; the cache
record of the execution keeps those files with their hashes, and the hash of the
package's code and the pinned requirements (jupyter-cache's free ``data`` field), and
which cell read which file (for the provenance notes under tables and figures). A
notebook is executed again when, and only when, its code, one of those files, or the
package or requirements changed.

Only the notebooks of the table of contents are executed. A cell that runs longer than
the timeout (120 s unless ``--timeout`` or ``KZIRAN_CELL_TIMEOUT`` says otherwise), an
error, or a warning printed to stderr fails the notebook, named with its cell; nothing
of a failed execution is stored.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import nbformat

from .. import editions
from ..data import DEPS_ENV
from ..files import atomic_write_text
from ..paths import PACKAGE, PROJECT, Layout

TIMEOUT = int(os.environ.get("KZIRAN_CELL_TIMEOUT", "120"))
PROGRESS_EVERY = 15  # seconds between "still running" lines


class ExecutionError(Exception):
    """A notebook failed: the message names it, its cell and the error."""


def book_notebooks(layout: Layout = PROJECT) -> list[Path]:
    """The notebooks of the table of contents, in reading order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    found = [layout.root / f"{doc}.ipynb" for doc in parse_toc_yaml(layout.toc)]
    return [p for p in found if p.exists()]


def strays(layout: Layout = PROJECT) -> list[Path]:
    """Notebooks in notebooks/ that the book does not contain (never executed)."""
    return sorted(set(layout.notebooks.glob("*.ipynb")) - set(book_notebooks(layout)))


def sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def environment_hash(layout: Layout = PROJECT) -> str:
    """The package's code, its labels in every language and the pinned requirements: a
    change re-executes everything."""
    from .. import labels

    h = hashlib.sha256()
    files = (sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.mplstyle"))
             + sorted(PACKAGE.rglob("*.yml"))
             + [labels.catalog_path(lang, layout) for lang in editions.TRANSLATIONS])
    for f in [*files, layout.root / "requirements.txt"]:
        h.update(f.name.encode())
        h.update(sha256(f).encode())
    return h.hexdigest()


def cache(layout: Layout = PROJECT):
    """jupyter-cache's store of executions (one object per process and folder)."""
    from jupyter_cache import get_cache

    key = str(layout.cache)
    if key not in _STORES or not layout.cache.exists():
        _STORES[key] = get_cache(key)
    return _STORES[key]


_STORES: dict = {}


def stale_reason(nb_path: Path, layout: Layout = PROJECT, env: str | None = None) -> str | None:
    """Why the notebook must run again (None when its stored outputs are current)."""
    try:
        record = cache(layout).match_cache_notebook(nbformat.read(nb_path, as_version=4))
    except KeyError:
        return "no stored execution of its current code"
    data = record.data or {}
    if data.get("environment") != (env or environment_hash(layout)):
        return "the package or the pinned requirements changed"
    changed = [rel for rel, digest in (data.get("inputs") or {}).items()
               if sha256(layout.root / rel) != digest]
    if changed or "inputs" not in data:
        return f"changed: {', '.join(changed) or 'unknown inputs'}"
    return None


def plan(layout: Layout = PROJECT, force: bool = False, only=None) -> dict[Path, str]:
    """{notebook: why it runs} for the notebooks to execute."""
    env = environment_hash(layout)
    todo = {}
    for path in book_notebooks(layout):
        if only and path.stem not in only and path.name not in only:
            continue
        reason = "forced" if force else stale_reason(path, layout, env)
        if reason:
            todo[path] = reason
    return todo


def normalise(nb) -> None:
    """Drop what changes from run to run or machine to machine (timings, versions)."""
    nb.metadata.pop("widgets", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)


def _stderr_output(nb) -> str | None:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                return f"cell {i} ({cell.get('id')}) printed to stderr: {out['text'][:500]}"
    return None


def _run(path: str, timeout: int) -> dict:
    """Worker: execute one notebook; return the executed JSON and the data files read."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    fd, log = tempfile.mkstemp(prefix="kziran-deps-", suffix=".txt")
    os.close(fd)
    env = dict(os.environ, **{DEPS_ENV: log}, PYTHONHASHSEED="0")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    running = [None]  # the index of the cell being executed, for the messages
    client.on_cell_start = lambda cell, cell_index: running.__setitem__(0, cell_index)
    cells: dict[str, list[str]] = {}  # cell id -> data files that cell read

    def cell_done(cell, cell_index, execute_reply):
        with open(log, encoding="utf-8") as f:
            lines = [line.strip() for line in f if line.strip()]
        seen = sum(len(v) for v in cells.values())
        cells[cell.get("id") or str(cell_index)] = lines[seen:]

    client.on_cell_executed = cell_done
    start, error = time.perf_counter(), None
    # The kernel's own messages go to a file; a failure quotes their end.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as kernel_log:
        try:
            client.execute(env=env, stderr=kernel_log)
            error = _stderr_output(nb)
        except CellTimeoutError:
            error = f"cell {running[0]} ran longer than the timeout of {timeout} s"
        except CellExecutionError as exc:
            error = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # no terminal colours
        except Exception as exc:  # noqa: BLE001 - a dead kernel is reported, not raised
            kernel_log.seek(0)
            tail = [line for line in kernel_log.read().splitlines()[-20:]
                    if "without encryption" not in line]
            error = f"{type(exc).__name__}: {exc}" + "".join(f"\n  {t}" for t in tail)
    with open(log, encoding="utf-8") as f:
        inputs = sorted({line.strip() for line in f if line.strip()})
    os.unlink(log)
    normalise(nb)
    return {"path": path, "nb": nbformat.writes(nb), "inputs": inputs, "error": error,
            "cells": {k: sorted(set(v)) for k, v in cells.items() if v},
            "seconds": time.perf_counter() - start}


def run(todo: dict[Path, str], layout: Layout = PROJECT, write_back: bool = False,
        jobs: int | None = None, timeout: int = TIMEOUT) -> list[str]:
    """Execute in a process pool; store each result as soon as it arrives."""
    from jupyter_cache.base import CacheBundleIn

    for stray in strays(layout):
        print(f"note: {layout.relative(stray)} is not in _toc.yml, so it is outside the "
              "book and not executed", file=sys.stderr)
    if not todo:
        print("notebooks: all outputs are current (nothing to execute)")
        return []
    # Longest first (the size of a notebook with its outputs stands for its run time).
    order = sorted(todo, key=lambda p: -p.stat().st_size)
    jobs = jobs or min(len(order), os.cpu_count() or 1)
    print(f"notebooks: executing {len(order)} with {jobs} worker(s): "
          + ", ".join(p.name for p in order), flush=True)
    for path in order:
        print(f"  {path.name}: {todo[path]}", flush=True)
    env, store, failures, done = environment_hash(layout), cache(layout), [], []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = {pool.submit(_run, str(p), timeout): (p, time.monotonic()) for p in order}
        while pending:
            finished, _ = wait(pending, timeout=PROGRESS_EVERY, return_when=FIRST_COMPLETED)
            if not finished:
                now = time.monotonic()
                print("  still running: " + ", ".join(
                    f"{p.name} ({now - t0:.0f} s)" for p, t0 in pending.values()), flush=True)
            for future in finished:
                path, _ = pending.pop(future)
                result = future.result()
                rel = layout.relative(path)
                if result["error"]:
                    failures.append(f"{rel} failed: {result['error']}")
                    continue
                nb = nbformat.reads(result["nb"], as_version=4)
                inputs = {p: sha256(layout.root / p) for p in result["inputs"]}
                try:
                    store.cache_notebook_bundle(
                        CacheBundleIn(nb, str(path), data={
                            "inputs": inputs, "cells": result["cells"], "environment": env,
                            "seconds": round(result["seconds"], 1)}),
                        check_validity=False, overwrite=True)
                except Exception as exc:  # noqa: BLE001 - said in one line, not a traceback
                    raise ExecutionError(
                        f"could not store the outputs of {rel} in "
                        f"{layout.relative(layout.cache)} ({type(exc).__name__}); if _build was "
                        "removed or changed during the build, run make book again") from None
                if write_back:
                    text = nbformat.writes(nb) + "\n"
                    if path.read_text(encoding="utf-8") != text:
                        atomic_write_text(path, text)
                done.append(rel)
                print(f"  {rel}: {result['seconds']:.1f} s, read "
                      f"{', '.join(result['inputs']) or 'no data file'}", flush=True)
    if failures:
        raise ExecutionError("notebook execution failed:\n" + "\n\n".join(failures))
    return done

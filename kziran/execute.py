"""Execute the section notebooks, in parallel, into the cache that MyST-NB reads.

MyST-NB (``execute_notebooks: cache``) matches a notebook to jupyter-cache by a hash of
its code cells, so on its own it would serve stale outputs after a data file changed.
This executor adds what the cache cannot know: while a notebook runs, the package logs
every data file it reads (``KZIRAN_DEPS_FILE``); the manifest stores, per notebook, a key
made of the code hash, the hashes of those data files and the hash of the package and
the pinned requirements. A notebook is executed again when, and only when, its key
changes. Executions run in a process pool across the cores before Sphinx starts; the
results are stored with jupyter-cache's own API, where MyST-NB finds them.

The data package is validated while the first kernels start: each worker starts its
kernel at once, then waits at a gate that opens only when the package is valid. On
invalid data the gate closes for good, the kernels are shut down and nothing is written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat

from . import paths
from .util import atomic_write_bytes, atomic_write_text

TIMEOUT = 600


def notebooks() -> list[Path]:
    return sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def sha256_file(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def environment_hash() -> str:
    """The package's code and the pinned requirements: a change re-executes everything."""
    h = hashlib.sha256()
    files = sorted(paths.PACKAGE.glob("*.py")) + sorted(paths.PACKAGE.glob("*.mplstyle"))
    files.append(paths.ROOT / "requirements.txt")
    for f in files:
        h.update(paths.relative(f).encode())
        h.update(sha256_file(f).encode())
    return h.hexdigest()


def _cache():
    from jupyter_cache import get_cache

    return get_cache(str(paths.CACHE))


def code_hash(nb) -> str:
    """The hash jupyter-cache (and so MyST-NB) uses to match this notebook."""
    return _cache().create_hashed_notebook(nb)[1]


def make_key(code: str, deps: dict[str, str], env: str) -> str:
    payload = json.dumps({"code": code, "deps": deps, "env": env}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def load_manifest() -> dict:
    try:
        return json.loads(paths.MANIFEST.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def current_key(nb_path: Path, manifest: dict, env: str) -> str | None:
    entry = manifest.get(paths.relative(nb_path))
    if not entry:
        return None
    nb = nbformat.read(nb_path, as_version=4)
    deps = {p: sha256_file(paths.ROOT / p) for p in entry["deps"]}
    return make_key(code_hash(nb), deps, env)


def is_stale(nb_path: Path, manifest: dict, env: str) -> bool:
    entry = manifest.get(paths.relative(nb_path))
    if not entry or current_key(nb_path, manifest, env) != entry["key"]:
        return True
    try:
        _cache().match_cache_notebook(nbformat.read(nb_path, as_version=4))
    except KeyError:
        return True
    return False


def normalise(nb) -> None:
    """Drop what changes from run to run or machine to machine (timings, versions)."""
    nb.metadata.pop("widgets", None)
    info = nb.metadata.get("language_info")
    if info:
        info.pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)


# Set in each worker by _init_worker: the gate opens when the data package is valid.
_GATE = None
_ABORT = None


def _init_worker(gate, abort) -> None:
    global _GATE, _ABORT
    _GATE, _ABORT = gate, abort


def _wait_at_gate() -> bool:
    """True once the data are valid; False if validation failed (or no gate is set)."""
    if _GATE is None:
        return True
    _GATE.wait()
    return not _ABORT.is_set()


def _run(nb_path_str: str) -> dict:
    """Worker: execute one notebook; return the executed JSON and the data files read.

    The kernel starts before the gate (see the module's docstring); the time spent waiting
    there is not counted in the notebook's seconds.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb_path = Path(nb_path_str)
    nb = nbformat.read(nb_path, as_version=4)
    fd, log = tempfile.mkstemp(prefix="kziran-deps-", suffix=".txt")
    os.close(fd)
    env = dict(os.environ, KZIRAN_DEPS_FILE=log, PYTHONHASHSEED="0", MPLBACKEND="inline")
    env.pop("DISPLAY", None)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        allow_errors=False,
        resources={"metadata": {"path": str(nb_path.parent)}},
    )
    start = time.perf_counter()
    waited = 0.0
    error = None
    aborted = False
    # The kernel's own log (not the notebook's outputs) goes to a temporary file; the
    # parent keeps it in _build/logs once the run is recorded.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as kernel_log:
        try:
            client.km = client.create_kernel_manager()
            client.start_new_kernel(env=env, stderr=kernel_log)
            client.start_new_kernel_client()
            gate = time.perf_counter()
            aborted = not _wait_at_gate()
            waited = time.perf_counter() - gate
            if aborted:  # invalid data: no cell has run, nothing to wait for
                client.shutdown_kernel = "immediate"
            if not aborted:
                client.execute(env=env, stderr=kernel_log)
        except CellExecutionError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a dead kernel or a timeout is reported, not raised
            error = f"{type(exc).__name__}: {exc}"
        finally:
            # execute() shuts its kernel down itself; a kernel that never ran, or a run
            # that failed before execute() took it over, is shut down here.
            if client.km is not None and client.km.has_kernel:
                client._cleanup_kernel()
        kernel_log.seek(0)
        kernel_text = kernel_log.read()
    seconds = time.perf_counter() - start - waited
    with open(log, encoding="utf-8") as f:
        deps = sorted({line.strip() for line in f if line.strip()})
    os.unlink(log)
    normalise(nb)
    return {
        "path": nb_path_str,
        "nb": nbformat.writes(nb),
        "deps": deps,
        "seconds": seconds,
        "error": error,
        "kernel_log": kernel_text,
    }


def validate_or_exit() -> None:
    """Nothing runs on a data package that does not validate."""
    from .data import DataError, validate

    try:
        validate()
    except DataError as exc:
        print(f"DATA ERROR: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def plan(force: bool = False, write_back: bool = False,
         only: list[str] | None = None) -> list[Path]:
    """The notebooks to execute: the stale ones (or all, with force or write_back)."""
    env = environment_hash()
    manifest = load_manifest()
    todo = [p for p in notebooks() if not only or p.stem in only or p.name in only]
    if not (force or write_back):
        todo = [p for p in todo if is_stale(p, manifest, env)]
    return todo


def _expected_seconds(path: Path, manifest: dict) -> float:
    """The last recorded run time; without one, the file's size stands in for it (the
    notebooks with the most outputs are the ones that compute the most)."""
    recorded = manifest.get(paths.relative(path), {}).get("seconds")
    return recorded if recorded is not None else 1e6 + path.stat().st_size


def run(todo: list[Path], write_back: bool = False, jobs: int | None = None,
        quiet: bool = False, order: str = "longest", on_done=None,
        validate=None, on_core_free=None) -> list[str]:
    """Execute `todo` in a process pool; record each result as soon as it arrives.

    order: "longest" first (from the last recorded run times, else the file sizes) packs
    the cores best; "reading" (the book's order) lets Sphinx start on the first notebooks
    early. on_done(rel, error) is called after each notebook is cached and recorded.
    validate(): called while the first kernels start; no cell runs before it returns,
    and if it raises, the kernels are shut down, nothing is recorded and it re-raises.
    on_core_free(): called once, after validation, as soon as no notebook is left waiting
    for a core (no more remain to finish than there are cores).
    """
    cores = os.cpu_count() or 1
    free_signalled = False

    def core_free(remaining: int) -> None:
        nonlocal free_signalled
        if on_core_free and not free_signalled and remaining <= cores:
            free_signalled = True
            on_core_free()

    from jupyter_cache.base import CacheBundleIn

    if not todo:
        if validate:
            validate()
        core_free(0)
        if not quiet:
            print("notebooks: all outputs are current (nothing to execute)")
        return []
    env = environment_hash()
    manifest = load_manifest()
    if order == "longest":
        todo = sorted(todo, key=lambda p: -_expected_seconds(p, manifest))
    else:
        todo = sorted(todo)
    jobs = jobs or min(len(todo), os.cpu_count() or 1)
    if not quiet:
        names = ", ".join(p.name for p in todo)
        print(f"notebooks: executing {len(todo)} with {jobs} worker(s): {names}", flush=True)
    failures, done = [], []
    ctx = multiprocessing.get_context("fork")
    gate, abort = ctx.Event(), ctx.Event()
    if not validate:
        gate.set()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                             initargs=(gate, abort)) as pool:
        futures = [pool.submit(_run, str(p)) for p in todo]
        if validate:
            try:
                validate()
            except BaseException:
                abort.set()
                gate.set()
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            gate.set()
        core_free(len(futures))
        cache = _cache()
        for finished, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            core_free(len(futures) - finished)
            rel = paths.relative(Path(result["path"]))
            log_dir = paths.BUILD / "logs"
            log_dir.mkdir(parents=True, exist_ok=True)
            atomic_write_text(log_dir / f"kernel-{Path(rel).stem}.log", result["kernel_log"])
            if result["error"]:
                failures.append(f"{rel} raised an error:\n{result['error']}")
                manifest.pop(rel, None)
                _save_manifest(manifest)
                if on_done:
                    on_done(rel, result["error"])
                continue
            nb = nbformat.reads(result["nb"], as_version=4)
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, str(paths.ROOT / rel), data={"execution_seconds": 0}),
                check_validity=False,
                overwrite=True,
            )
            deps = {p: sha256_file(paths.ROOT / p) for p in result["deps"]}
            manifest[rel] = {
                "key": make_key(code_hash(nb), deps, env),
                "deps": sorted(deps),
                "seconds": round(result["seconds"], 2),
            }
            _save_manifest(manifest)
            if write_back:
                text = nbformat.writes(nb)
                if not text.endswith("\n"):
                    text += "\n"
                target = paths.ROOT / rel
                if target.read_text(encoding="utf-8") != text:
                    atomic_write_text(target, text)
            done.append(rel)
            if not quiet:
                print(f"  {rel}: {result['seconds']:.1f} s, read {', '.join(result['deps'])}",
                      flush=True)
            if on_done:
                on_done(rel, None)
    if failures:
        raise SystemExit("notebook execution failed:\n" + "\n\n".join(failures))
    return done


def _save_manifest(manifest: dict) -> None:
    atomic_write_bytes(paths.MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())


def execute(force: bool = False, write_back: bool = False, jobs: int | None = None,
            only: list[str] | None = None, quiet: bool = False) -> list[str]:
    """Execute stale notebooks in parallel; no cell runs before the data validate."""
    return run(plan(force, write_back, only), write_back=write_back, jobs=jobs, quiet=quiet,
               validate=validate_or_exit)


WAIT_FD = "KZIRAN_EXECUTION_FD"
EXECUTING = "KZIRAN_EXECUTING"


class _Sphinx:
    """`jupyter-book build`, started while the last notebooks run; it waits for them.

    The process inherits the read end of a pipe (its number in KZIRAN_EXECUTION_FD) and
    the names of the pages being executed (KZIRAN_EXECUTING). kziran.sphinxext reads the
    other pages first and blocks on the pipe before the first of those, so Sphinx starts
    up, and reads what does not depend on the running notebooks, while they end. "ok" lets
    it go on; if execution fails the process is stopped instead.
    """

    def __init__(self, args: list[str], executing: list[Path] = ()):
        self.args = args
        self.executing = ",".join(paths.relative(p).rsplit(".", 1)[0] for p in executing)
        self.proc = None
        self._write = None

    def start(self) -> None:
        import subprocess

        read, self._write = os.pipe()
        cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(paths.ROOT),
               *self.args]
        self.proc = subprocess.Popen(cmd, cwd=paths.ROOT, pass_fds=(read,),
                                     env=dict(os.environ, **{WAIT_FD: str(read),
                                                             EXECUTING: self.executing}))
        os.close(read)

    def release(self) -> int:
        if self.proc is None:
            self.start()
        try:
            os.write(self._write, b"ok")
        except BrokenPipeError:  # Sphinx stopped before it waited (a configuration error)
            pass
        os.close(self._write)
        return self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait()
            os.close(self._write)


def book(sphinx_args: list[str]) -> int:
    """`make book`: validate, execute what is stale, build the HTML with Jupyter Book.

    Sphinx starts as soon as every remaining notebook is running (see _Sphinx), not after
    the last one: its start-up, and its reading of the other pages, overlap the end of the
    execution.
    """
    todo = plan()
    sphinx = _Sphinx(sphinx_args, todo)
    try:
        run(todo, validate=validate_or_exit, on_core_free=sphinx.start)
    except BaseException:
        sphinx.stop()
        raise
    return sphinx.release()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kziran execute", description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help="notebook names (default: all)")
    ap.add_argument("--force", action="store_true", help="execute even if outputs are current")
    ap.add_argument("--write-back", action="store_true",
                    help="also save the outputs into notebooks/*.ipynb (to commit them)")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--dry-run", action="store_true",
                    help="only list the notebooks that would be executed; execute nothing")
    args = ap.parse_args(argv)
    if args.dry_run:
        todo = plan(args.force, args.write_back, args.notebooks or None)
        if todo:
            print(f"notebooks: would execute {len(todo)}: " + ", ".join(p.name for p in todo))
        else:
            print("notebooks: all outputs are current (nothing to execute)")
        return 0
    execute(force=args.force, write_back=args.write_back, jobs=args.jobs,
            only=args.notebooks or None)
    return 0


if __name__ == "__main__":
    sys.exit(main())

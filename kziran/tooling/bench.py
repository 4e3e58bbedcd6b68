"""Benchmark of the build (`make bench`): seconds and ratios on this machine, one run.

Measured in a fresh clone of the current commit, in a temporary directory:

- set-up from a fresh clone (`make env`), and, for the choice of installer, the same pinned
  install with pip and with uv into throw-away environments;
- the clean build of English alone (`make book LANGUAGES=en`), then the clean build of
  all three languages (`make book` with an empty `_build`): the median of three, the first
  of which follows the English one (it is also printed alone: first-use costs show there),
  and its ratio to English alone;
- the no-change rebuild of the three languages (`make book` again; also Sphinx alone, in
  English);
- the rebuild after editing one notebook (one code cell of 03_discussion);
- `make test` (after the builds above, as a developer runs it; the one-time set-up of its
  citation checker is timed apart);
- each notebook executed alone, one after another (three rounds, the median of each), to
  compute the floor: max(slowest notebook, sum of notebooks / cores) + no-change rebuild.

This machine is a virtual one whose timings vary by up to a second from run to run, hence
the medians.

Timings are printed, never asserted: speed is not a test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from ..commands import ArgumentParser, run
from ..paths import PROJECT

TARGETS = {  # measure -> (the measure it is divided by, the largest ratio wanted)
    "clean build": ("floor", 1.5),
    "  clean build in three languages / English only": ("clean build, English only", 1.6),
}
LIMITS = {"no-change rebuild": 4.0}  # seconds, all three languages


def _cpu() -> float:
    """CPU seconds used so far by the finished children of this process (and theirs)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str] | str, cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, shell=isinstance(cmd, str),
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-2000:] + result.stderr[-2000:])
        raise SystemExit(f"benchmark step failed: {cmd}")
    return seconds


def _edit_one_notebook(clone: Path) -> None:
    path = clone / "notebooks" / "03_discussion.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source += "\n# benchmark edit"
    nbformat.write(nb, path)


def _installers(clone: Path, python: str) -> dict[str, float]:
    """The same pinned install with pip and with uv (each with its own warm cache)."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        venv = Path(tmp) / "pip"
        out["pip install (pinned, bytecode)"] = _run(
            f"{python} -m venv {venv} && {venv}/bin/pip install --quiet "
            f"--disable-pip-version-check --compile -r requirements.txt", clone, env)
        venv = Path(tmp) / "uv"
        uv = clone / ".venv" / "bin" / "uv"
        out["uv pip install (pinned, bytecode)"] = _run(
            f"{python} -m venv {venv} && {uv} pip install --quiet --compile-bytecode "
            f"--python {venv}/bin/python -r requirements.txt", clone, env)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    ap.add_argument("--skip-installers", action="store_true",
                    help="do not time pip against uv (saves about a minute)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary clone")
    ap.add_argument("--check", action="store_true", help="only check the arguments")
    args = ap.parse_args(argv)
    if args.check:
        return 0

    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT.root,
                           capture_output=True, text=True, check=False).stdout.strip()
    if dirty:
        print("note: the working tree has uncommitted changes; the benchmark uses HEAD")
    tmp = Path(tempfile.mkdtemp(prefix="kziran-bench-"))
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "--quiet", str(PROJECT.root), str(clone)], check=True)
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    t: dict[str, float] = {}
    cores = os.cpu_count() or 1
    print(f"benchmark in {clone} ({cores} cores)", flush=True)

    t["set-up (make env)"] = _run(["make", "env"], clone, env)
    t["clean build, English only"] = _run(["make", "book", "LANGUAGES=en"], clone, env)
    shutil.rmtree(clone / "_build")
    cleans = [_run(["make", "book"], clone, env)]
    for _ in range(2):
        shutil.rmtree(clone / "_build")
        cleans.append(_run(["make", "book"], clone, env))
    t["clean build"] = sorted(cleans)[1]
    t["  first clean build after set-up"] = cleans[0]
    t["  clean build in three languages / English only"] = t["clean build"]
    nochange = sorted(_run(["make", "book"], clone, env) for _ in range(3))
    t["no-change rebuild"] = nochange[1]
    jb = str(clone / ".venv" / "bin" / "jupyter-book")
    t["  of which Sphinx alone (English)"] = _run(
        [jb, "build", ".", "--builder", "html", "--quiet"], clone, env)
    _edit_one_notebook(clone)
    t["rebuild after editing one notebook"] = _run(["make", "book"], clone, env)
    subprocess.run(["git", "checkout", "--quiet", "notebooks"], cwd=clone, check=True)
    _run(["make", "book"], clone, env)
    # make test's own set-up (the environments of cffconvert and JupyterLab, once) is not
    # the tests.
    t["  set-up of the citation checker and Lab"] = _run(
        ["make", ".venv-cff/.installed", ".venv-lab/.installed"], clone, env)
    cpu = _cpu()
    t["make test"] = _run(["make", "test"], clone, env)
    cpu_test = _cpu() - cpu

    # Each notebook alone, one after another: the cache record keeps its run time.
    from jupyter_cache import get_cache

    from ..paths import Layout
    from .execute import book_notebooks

    py = str(clone / ".venv" / "bin" / "python")
    rounds: dict[str, list[float]] = {}
    for _ in range(3):
        for nb in book_notebooks(Layout(clone)):
            _run([py, "-m", "kziran", "execute", "--force", "--jobs", "1", nb.stem], clone, env)
            record = get_cache(str(clone / "_build" / ".jupyter_cache")).match_cache_notebook(
                nbformat.read(nb, as_version=4))
            rounds.setdefault(nb.stem, []).append(record.data["seconds"])
    alone = {name: sorted(times)[1] for name, times in rounds.items()}
    ideal = max(max(alone.values()), sum(alone.values()) / cores)
    t["floor"] = ideal + t["no-change rebuild"]

    if not args.skip_installers:
        t.update(_installers(clone, sys.executable))

    print("\nnotebooks executed alone (s): "
          + ", ".join(f"{k} {v:.1f}" for k, v in alone.items()))
    print(f"ideal parallel execution: max({max(alone.values()):.1f}, "
          f"{sum(alone.values()):.1f} / {cores}) = {ideal:.1f} s\n")
    width = max(len(k) for k in t)
    print(f"{'measure':<{width}}  {'seconds':>8}  {'/ floor':>8}  target")
    for key, seconds in t.items():
        target = ""
        if key in TARGETS:
            ref, limit = TARGETS[key]
            ratio = seconds / t[ref]
            target = f"{ratio:.2f} x {ref} (target <= {limit})"
        elif key in LIMITS:
            target = f"target <= {LIMITS[key]:.0f} s"
        print(f"{key:<{width}}  {seconds:8.1f}  {seconds / t['floor']:8.2f}  {target}")
    print(f"\nmake test used {cpu_test:.0f} CPU-seconds (user and system, all processes)")
    if args.keep:
        print(f"\nclone kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(run(main, prog="make bench"))

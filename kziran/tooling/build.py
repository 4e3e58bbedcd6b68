"""``make book``: validate the data, execute what is stale, then build the HTML.

One build at a time in a checkout: a second ``make book`` waits for the first (a lock on
``_build/.lock``), so two builds never write one ``_build`` together. Nothing is built on
data that do not validate, and nothing after a notebook that fails.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from .. import editions
from ..analysis.references import validate
from ..data import DataError, Package
from ..files import atomic_write_text
from ..paths import PROJECT, Layout
from .execute import ExecutionError, plan, run


class BuildError(Exception):
    """The build cannot go on; the message says why and what to do."""


@contextmanager
def build_lock(layout: Layout = PROJECT):
    """Hold the checkout's build lock; wait, saying so, while another build holds it."""
    try:
        layout.build.mkdir(parents=True, exist_ok=True)
        handle = open(layout.build / ".lock", "a+", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise BuildError(f"cannot write to {layout.relative(layout.build)} ({exc.strerror}): "
                         "make it writable, or remove it and build again") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            print(f"another build is running in this checkout ({holder}); waiting for it "
                  "to finish", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield


def check(layout: Layout = PROJECT, force: bool = False) -> str:
    """Validate the whole data package (schema and references)."""
    return validate(Package(layout), force=force)


def book(argv: list[str], layout: Layout = PROJECT) -> int:
    """Validate, execute what is stale, then build the book in each language asked for
    (``--languages``, else the ``LANGUAGES`` environment variable, else all of them)."""
    opts = book_options(argv)
    with build_lock(layout):
        check(layout)
        run(plan(layout), layout)
        if not layout.build.exists():
            raise BuildError(f"{layout.relative(layout.build)} disappeared during the build: "
                             "run make book again")
        jobs = [(lang, layout, {"builder": opts.builder, "toc": opts.toc, "fresh": opts.fresh,
                                "strict": opts.strict, "quiet": opts.quiet})
                for lang in opts.languages]
        if len(jobs) == 1:
            return _sphinx_job(*jobs[0])
        # One process per language, forked from this one (its imports are done): Sphinx
        # keeps its translations in module state, so no two languages share a process.
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        # All at once, even on fewer cores: a language's build waits on its own files part
        # of the time, and three side by side finish sooner than two rounds of two.
        workers = len(jobs)
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) \
                    as pool:
                return max(pool.map(_sphinx_job, *zip(*jobs, strict=True)))
        except BrokenProcessPool:
            raise BuildError("a build process was killed before it finished: run make book "
                             "again (the pages it had not written are read again)") from None


def _sphinx_job(lang: str, layout: Layout, options: dict) -> int:
    """One language's build, skipped when nothing it reads changed since it last
    succeeded (its stamp: see :func:`inputs`); ``--all`` always builds."""
    stamp = layout.build / ".stamps" / f"{options['builder']}-{lang}.txt"
    outdir = editions.html_dir(lang, layout) if options["builder"] == "html" else None
    state = None if options["fresh"] else inputs(lang, layout, options)
    if state is not None and outdir is not None and (outdir / "index.html").exists() and \
            stamp.exists() and stamp.read_text(encoding="utf-8") == state:
        print(f"{editions.NAMES[lang]}: up to date (nothing it is built from changed)")
        return 0
    status = sphinx(lang, layout, **options)
    if status == 0:
        atomic_write_text(stamp, inputs(lang, layout, options))
    else:
        stamp.unlink(missing_ok=True)
    return status


STAMPED = ("_config.yml", "_toc.yml", "docutils.conf", "CITATION.cff", "requirements.txt",
           "book", "notebooks", "locales", "kziran", "data")


def inputs(lang: str, layout: Layout, options: dict) -> str:
    """What a build reads, as a text that changes whenever any of it does: the options,
    the commit, and size and time of every file of the sources, the catalogs, the package,
    the data, the execution cache and the language's PDF."""
    import subprocess

    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=layout.root, capture_output=True,
                          text=True, check=False).stdout.strip()
    lines = [f"options {sorted((k, str(v)) for k, v in options.items() if k != 'quiet')}",
             f"commit {head}"]
    paths = []
    for name in STAMPED:
        path = layout.root / name
        paths += sorted(p for p in path.rglob("*") if p.is_file()
                        and "__pycache__" not in p.parts and p.suffix != ".mo") \
            if path.is_dir() else [path]
    # The stored executions (their database also records when each was last read).
    paths += [*sorted(p for p in (layout.cache / "executed").rglob("*") if p.is_file()),
              editions.pdf(lang, layout)]
    if options.get("toc"):
        paths.append(Path(options["toc"]))
    for path in paths:
        try:
            st = path.stat()
            lines.append(f"{layout.relative(path)} {st.st_size} {st.st_mtime_ns}")
        except FileNotFoundError:
            lines.append(f"{layout.relative(path)} missing")
    return "\n".join(lines) + "\n"


def book_options(argv: list[str]):
    """The options of ``kziran book`` (the few of ``jupyter-book build`` the book uses)."""
    from ..commands import ArgumentParser

    ap = ArgumentParser(prog="kziran book", description="Validate, execute what is stale "
                        "and build the book in each of its languages.")
    ap.add_argument("--builder", default="html", choices=("html", "latex", "gettext"))
    ap.add_argument("--languages", help="languages to build, such as 'en kk' "
                    f"(default: $LANGUAGES, else all: {' '.join(editions.LANGUAGES)})")
    ap.add_argument("--toc", type=Path, help="another table of contents")
    ap.add_argument("--all", dest="fresh", action="store_true", help="re-read every page")
    ap.add_argument("--warningiserror", "-W", dest="strict", action="store_true")
    ap.add_argument("--nitpick", "-n", action="store_true", help="(always on)")
    ap.add_argument("--keep-going", action="store_true", help="(always on)")
    ap.add_argument("--quiet", "-q", action="store_true")
    opts = ap.parse_args(argv)
    try:
        opts.languages = editions.selected(opts.languages)
    except editions.LanguageError as exc:
        ap.error(str(exc))
    return opts


def sphinx(lang: str, layout: Layout = PROJECT, *, builder: str = "html",
           outdir: Path | None = None, toc: Path | None = None, fresh: bool = False,
           strict: bool = True, quiet: bool = True) -> int:
    """One Sphinx build of the book in ``lang`` (Jupyter Book's configuration of it):
    warnings are errors when ``strict``, references nitpicked; 0 when it succeeded."""
    from jupyter_book.sphinx import build_sphinx

    outdir = outdir or (editions.html_dir(lang, layout) if builder == "html"
                        else layout.build / builder / lang)
    doctrees = editions.doctrees(lang, layout)
    if builder != "html":
        doctrees = doctrees.with_name(f"{doctrees.name}-{builder}")
    overrides = {"external_toc_path": str(toc or layout.toc), "latex_individualpages": False,
                 "nitpicky": True, **editions.sphinx_overrides(lang)}
    result = build_sphinx(layout.root, outdir, noconfig=True, path_config=str(layout.config),
                          confoverrides=overrides, doctreedir=doctrees, builder=builder,
                          warningiserror=strict, keep_going=True, freshenv=fresh,
                          quiet=quiet, really_quiet=False)
    if isinstance(result, BaseException):  # Sphinx has printed it
        print(f"ERROR: the {editions.NAMES[lang]} {builder} build failed: {result}",
              file=sys.stderr)
        return 1
    return int(result or 0)


def main(command: str, argv: list[str]) -> int:
    """`check`, `execute` and `book` of ``python -m kziran``; errors in one line or block."""
    from ..commands import ArgumentParser, CommandError, positive
    from .execute import book_notebooks

    try:
        if command == "check":
            ap = ArgumentParser(prog="kziran check", description="Validate the data package.")
            ap.add_argument("--force", action="store_true", help="check even if checked before")
            fp = check(force=ap.parse_args(argv).force)
            print(f"data package valid (fingerprint {fp[:12]})")
            return 0
        if command == "book":
            return book(argv)
        ap = ArgumentParser(prog="kziran execute",
                            description="Execute the book's stale notebooks.")
        ap.add_argument("notebooks", nargs="*", help="notebook names (default: all)")
        ap.add_argument("--force", action="store_true", help="execute even if current")
        ap.add_argument("--write-back", action="store_true",
                        help="also save the outputs into notebooks/*.ipynb (to commit them)")
        ap.add_argument("--jobs", type=positive)
        ap.add_argument("--timeout", type=positive, help="seconds a cell may run (default 120)")
        ap.add_argument("--dry-run", action="store_true",
                        help="list the notebooks that would run, and why; run nothing")
        args = ap.parse_args(argv)
        known = {p.stem for p in book_notebooks()} | {p.name for p in book_notebooks()}
        unknown = [n for n in args.notebooks if n not in known]
        if unknown:
            raise CommandError(f"no notebook {unknown[0]!r} in the book (notebooks: "
                               f"{', '.join(sorted(p.stem for p in book_notebooks()))})")
        with build_lock():
            check()
            todo = plan(force=args.force or args.write_back, only=args.notebooks or None)
            if args.dry_run:
                print(f"notebooks: would execute {len(todo)}: "
                      + ", ".join(p.name for p in todo) if todo else
                      "notebooks: all outputs are current (nothing to execute)")
                for path, why in todo.items():
                    print(f"  {path.name}: {why}")
                return 0
            run(todo, write_back=args.write_back, jobs=args.jobs,
                **({"timeout": args.timeout} if args.timeout else {}))
        return 0
    except DataError as exc:
        print(f"DATA ERROR: {exc}", file=sys.stderr)
        return 2
    except (ExecutionError, BuildError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1

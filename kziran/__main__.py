"""Command line of the book: `python -m kziran <command>`.

  check     validate the data package (file, row and column named on error)
  execute   execute the stale notebooks in parallel into the build cache (execute --help)
  book      validate, execute what is stale, build the HTML (the options of
            `jupyter-book build` follow; make book passes them)
  cite      print a citation of the edition, a section, a table or a figure (cite --help)

A bad argument is one line naming it, with a non-zero exit status.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from . import commands, editions

COMMANDS = ("check", "execute", "book", "cite")


def cite(argv: list[str]) -> int:
    from .files import atomic_write_text
    from .publishing import citations

    ap = commands.ArgumentParser(
        prog="python -m kziran cite",
        description="Print the citation of the edition, a section, a numbered table or "
                    "figure, or the edited article: the text the book's pages show.")
    ap.add_argument("target", nargs="?", default="edition",
                    help="a section (results), an appendix (claims), a page "
                         "(notebooks/04_results), a table or figure label (tbl-trade-kaz), "
                         "`edition` (default) or `article`")
    ap.add_argument("--format", "-f", choices=citations.FORMATS, default="apa")
    ap.add_argument("--language", "-l", choices=editions.LANGUAGES, default=editions.SOURCE,
                    help="cite the edition in this language (default: en)")
    ap.add_argument("--list", action="store_true", help="list what can be cited")
    ap.add_argument("--output", "-o", help="write the citation to this file instead")
    ap.add_argument("--check", action="store_true",
                    help="check that CITATION.cff agrees with _config.yml and the package")
    args = ap.parse_args(argv)
    try:
        meta = citations.load_meta()
        if args.check:
            import yaml

            from . import __version__
            from .paths import PROJECT

            config = yaml.safe_load(PROJECT.config.read_text(encoding="utf-8")) or {}
            problems = citations.config_problems(meta, config)
            if meta.version != __version__:
                problems.append(f"CITATION.cff version {meta.version} differs from the "
                                f"package version {__version__}")
            for problem in problems:
                print(f"CITATION ERROR: {problem}", file=sys.stderr)
            if not problems:
                print("CITATION.cff agrees with _config.yml and the package version")
            return 1 if problems else 0
        records = citations.load_registry(lang=args.language)
        if args.list:
            for rec in records:
                number = rec.get("custom", {}).get("number", "")
                print(f"{citations.label(rec):28} {citations.kind(rec):8} {number:6} "
                      f"{rec['title']}")
            return 0
        text = citations.render(citations.find(args.target, records), args.format)
        if args.output:
            atomic_write_text(Path(args.output), text + "\n")
        else:
            print(text)
        return 0
    except citations.CitationError as exc:
        raise commands.CommandError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    # In a pipe (`... | head`), stop quietly when the reader has had enough.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command in ("check", "execute", "book"):
        from .tooling.build import main as build

        return commands.run(build, command, rest, prog=f"kziran {command}")
    if command == "cite":
        return commands.run(cite, rest, prog="kziran cite")
    print(f"kziran: unknown command {command!r} (one of {', '.join(COMMANDS)}; "
          "--help says more)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

"""Command line of the book: `python -m kziran <command>`.

  check     validate the data package (file, row and column named on error)
  execute   execute stale notebooks in parallel into the build cache
  book      validate, execute what is stale, build the HTML (jupyter-book build options
            follow: make book passes them)
  bib       write the BibTeX bibliography generated from data/sources.csv
  cite      print a citation of the edition, a section, table or figure (cite --help)
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "check":
        from .data import DataError, validate

        try:
            fp = validate(force="--force" in rest)
        except DataError as exc:
            print(f"DATA ERROR: {exc}", file=sys.stderr)
            return 2
        print(f"data package valid (fingerprint {fp[:12]})")
        return 0
    if command == "execute":
        from .execute import main as run

        return run(rest)
    if command == "book":
        from .execute import book

        return book(rest)
    if command == "cite":
        from .cite import main as run

        return run(rest)
    if command == "bib":
        from .bib import write

        print(write())
        return 0
    print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

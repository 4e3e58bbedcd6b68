"""The generated parts of data/README.md: its coverage table and its table of sources.

``make data-readme`` rewrites the text between each pair of markers
``<!-- generated: NAME -->`` and ``<!-- end: NAME -->`` from the data package; the rest of
the README is prose. A test checks that the file is what this module would write.
"""

from __future__ import annotations

import re
import sys

from ..analysis import sources
from ..commands import ArgumentParser, run
from ..data import load
from ..files import atomic_write_text
from ..paths import PROJECT


def _cell(value) -> str:
    text = "" if value is None or str(value) in ("<NA>", "nan") else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def coverage() -> str:
    rows = ["| file | rows | years covered | licence |", "|---|---|---|---|"]
    for r in sources.summary().itertuples(index=False):
        rows.append(f"| `{r.file.removeprefix('data/')}` | {r.rows} | {r.years} | {r.licence} |")
    return "\n".join(rows)


def bibliography() -> str:
    src = load("sources")
    n = sources.bibliography_counts()
    edited = int(sources.source_counts().get("edited_article", 0))
    head = (f"{n['all']} entries: {edited} edited article, "
            f"{n['cited']} works cited by the article and {n['data']} data sources "
            f"(including the IMF dataset); {n['unconfirmed']} are marked unconfirmed.")
    rows = [head, "", "| key | title | outlet | date | role | confirmed |",
            "|---|---|---|---|---|---|"]
    for r in src.itertuples(index=False):
        date = r.date if isinstance(r.date, str) else (r.year if r.year is not None else "")
        rows.append(f"| `{r.key}` | {_cell(r.title)} | {_cell(r.container)} | {_cell(date)} "
                    f"| {r.role} | {'true' if r.confirmed else 'false'} |")
    return "\n".join(rows)


BLOCKS = {"coverage": coverage, "sources": bibliography}


def render(text: str) -> str:
    for name, make in BLOCKS.items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end: {name} -->)",
                             re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"data/README.md has no markers for the {name} block")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    ArgumentParser(prog="make data-readme", description=__doc__.splitlines()[0]).parse_args(argv)
    path = PROJECT.data / "README.md"
    atomic_write_text(path, render(path.read_text(encoding="utf-8")))
    print("data/README.md: coverage and sources tables regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(run(main, prog="make data-readme"))

"""The PDF edition: built by Jupyter Book's LaTeX builder, checked, then published.

``python -m kziran.tooling.pdf`` (what ``make pdf`` runs):

1. For each language of the edition, Jupyter Book's LaTeX build (its configuration, the
   language's catalogs), then ``make all-pdf`` in its LaTeX folder, as ``jupyter-book build
   --builder pdflatex`` does. sphinx-jupyterbook-latex sets the engine to xelatex; the
   fonts are GNU FreeFont (FreeSerif, FreeSans, FreeMono), which cover Latin, Cyrillic and
   the nine letters of the Kazakh alphabet beyond Russian. Each language writes into
   ``_build/pdf/<lang>/`` with its own doctree cache, so that it never shares Sphinx's
   environment with an HTML build running at the same time.
2. ``check()``: every font is embedded, FreeSerif among them; the text layer holds every
   Kazakh letter in both cases; every numbered table and figure of the notebooks has its
   label in the LaTeX source, its caption in the PDF's text and its line of provenance
   under it; the PDF has at least as many images as the book has figures.
3. The checked PDF is copied to ``_build/kziran-edition.pdf`` (``-kk.pdf``, ``-ru.pdf``
   for the Kazakh and Russian editions). The HTML build of each language
   (kziran.publishing.html_edition) copies it from there into the HTML edition and links it from the
   landing page; without it the landing page says how to build it.

The checks use poppler-utils (``pdffonts``, ``pdftotext``, ``pdfimages``); TeX and poppler
come from Debian (see ``.ci/run`` for the package list).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import editions, labels
from ..commands import ArgumentParser, run
from ..files import atomic_write_bytes
from ..paths import PROJECT
from ..publishing.outputs import variant
from .execute import book_notebooks

NAME = "kziran-edition"
FOOTER_GAP = 8  # points: the least room between the text and the running footer
WORK = PROJECT.build / "pdf"


def latex_dir(lang: str) -> Path:
    return WORK / lang / "latex"


def built(lang: str) -> Path:
    return latex_dir(lang) / f"{NAME}.pdf"


def published(lang: str) -> Path:
    return editions.pdf(lang)


def log(lang: str) -> Path:
    return WORK / lang / "build.log"


# The nine letters of the Kazakh Cyrillic alphabet that Russian lacks, both cases.
KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІ" + "әғқңөұүһі"
MAIN_FONT = "FreeSerif"
TOOLS = ("xelatex", "latexmk", "pdffonts", "pdftotext", "pdfimages")

_CAPTION = re.compile(r"^:::\{table\} (?P<caption>.+)\n:name: (?P<name>tbl-[\w-]+)$", re.MULTILINE)
_FIGURE = re.compile(r"\{glue:figure\} (?P<name>fig-[\w-]+)")


class PdfError(RuntimeError):
    """The PDF edition could not be built, or it failed a check."""


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def build(lang: str = editions.SOURCE) -> Path:
    """Run the LaTeX builder in ``lang`` and latexmk; return the PDF. The full log goes to
    ``log(lang)``."""
    lacking = missing_tools()
    if lacking:
        raise PdfError(
            f"missing {', '.join(lacking)}: run `make system-deps` (Debian packages: "
            "TeX Live with xelatex, latexmk and xindy, fonts, poppler-utils)")
    out = latex_dir(lang)
    # A fresh LaTeX directory: latexmk would also try any older .tex file left in it.
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cmd = [sys.executable, "-m", "kziran.tooling.pdf", "--latex-only", lang]
    with log(lang).open("w", encoding="utf-8") as handle:
        result = subprocess.run(cmd, cwd=PROJECT.root, stdout=handle, stderr=subprocess.STDOUT,
                                check=False)
        if result.returncode == 0:
            result = subprocess.run(["make", "all-pdf"], cwd=out, stdout=handle,
                                    stderr=subprocess.STDOUT, check=False)
    text_of_log = log(lang).read_text(encoding="utf-8", errors="replace")
    if result.returncode != 0 or not built(lang).exists():
        tail = "\n".join(text_of_log.splitlines()[-40:])
        raise PdfError(f"the LaTeX build failed (full log: {PROJECT.relative(log(lang))}):"
                       f"\n{tail}")
    warnings = [line for line in text_of_log.splitlines()
                if "WARNING:" in line or "Missing character" in line]
    if warnings:
        raise PdfError("the LaTeX build reported problems (full log: "
                       f"{PROJECT.relative(log(lang))}):\n" + "\n".join(warnings[:20]))
    return built(lang)


def latex(lang: str) -> int:
    """The LaTeX build of the book in ``lang`` (in its own process: Sphinx's state)."""
    from .build import sphinx

    return sphinx(lang, builder="latex", outdir=latex_dir(lang), strict=False, quiet=False,
                  fresh=True)


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squeeze(text: str) -> str:
    """Letters and digits only, lower case: compares text across line breaks and hyphens."""
    return re.sub(r"[\W_]+", "", text).lower()


@dataclass(frozen=True)
class Expected:
    tables: dict[str, str]  # name -> caption, from the notebooks' table outputs
    figures: list[str]  # names of glued figures


def expected(lang: str = editions.SOURCE) -> Expected:
    """The numbered tables and figures the notebooks put into the book in ``lang``."""
    tables: dict[str, str] = {}
    figures: list[str] = []
    for nb_path in book_notebooks():
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                figures += _FIGURE.findall(cell.source)
                continue
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                md = data.get(variant("markdown", lang)) or data.get("text/markdown", "")
                for m in _CAPTION.finditer(md if isinstance(md, str) else "".join(md)):
                    tables[m["name"]] = m["caption"]
    return Expected(tables, figures)


def fonts(pdf: Path) -> list[dict]:
    """pdffonts as records: name, type, emb."""
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    out = []
    for line in lines:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        out.append({"name": parts[0], "emb": parts[-5], "line": line})
    return out


def text(pdf: Path) -> str:
    return _run("pdftotext", "-enc", "UTF-8", str(pdf), "-")


def layout_problems(pdf: Path) -> list[str]:
    """Pages whose text runs into the running footer, and blank pages."""
    from bs4 import BeautifulSoup

    found = []
    doc = BeautifulSoup(_run("pdftotext", "-bbox-layout", str(pdf), "-"), "html.parser")
    for number, page in enumerate(doc.find_all("page"), start=1):
        lines = [(float(x["ymin"]), float(x["ymax"]), x.get_text(" ").split())
                 for x in page.find_all("line")]
        if not lines:
            found.append(f"page {number} is blank")
            continue
        footer = max(top for top, _, _ in lines)  # the running footer is the lowest line
        body = [(top, bottom, words) for top, bottom, words in lines if top < footer - 2]
        low = [words for _, bottom, words in body if bottom > footer - FOOTER_GAP]
        if low and number > 1:
            found.append(f"page {number}: text runs into the footer ({' '.join(low[0])[:50]})")
    return found


def image_count(pdf: Path) -> int:
    return max(0, len(_run("pdfimages", "-list", str(pdf)).splitlines()) - 2)


def made_by(lang: str) -> str:
    """The opening of a provenance line in print, squeezed: "madebynotebooks"."""
    return squeeze(labels.text("provenance.print", lang).split("{notebook}")[0] + "notebooks")


def check(pdf: Path, tex: Path | None = None, lang: str = editions.SOURCE) -> list[str]:
    """Everything wrong with a built PDF in ``lang`` (an empty list when it passes)."""
    problems = []
    found = fonts(pdf)
    if not found:
        problems.append("pdffonts lists no fonts")
    for f in found:
        if f["emb"] != "yes":
            problems.append(f"font not embedded: {f['line']}")
    if not any(MAIN_FONT in f["name"] for f in found):
        problems.append(f"{MAIN_FONT} is not among the fonts: "
                        + ", ".join(sorted({f['name'] for f in found})))
    body = text(pdf)
    lacking = [c for c in KAZAKH_LETTERS if c not in body]
    if lacking:
        problems.append(f"Kazakh letters missing from the text layer: {' '.join(lacking)}")
    flat = squeeze(body)
    # A caption that wraps may come out of the layout's reading order broken in two; the
    # order of the content stream keeps it whole.
    raw = squeeze(_run("pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"))
    exp = expected(lang)
    for name, caption in exp.tables.items():
        if squeeze(caption) not in flat and squeeze(caption) not in raw:
            problems.append(f"table {name}: caption not found in the PDF text ({caption[:60]})")
    if tex is not None and tex.exists():
        source = tex.read_text(encoding="utf-8")
        for name in [*exp.tables, *exp.figures]:
            if not re.search(r"\\label\{\\detokenize\{[^}]*:" + re.escape(name) + r"\}\}", source):
                problems.append(f"{name}: no label in {tex.name}")
    made = flat.count(made_by(lang))
    if made != len(exp.tables) + len(exp.figures):
        problems.append(f"{made} provenance lines ('{made_by(lang)}...') for "
                        f"{len(exp.tables)} tables and {len(exp.figures)} figures")
    problems += layout_problems(pdf)
    images = image_count(pdf)
    if images < len(exp.figures):
        problems.append(f"{images} images in the PDF for {len(exp.figures)} figures")
    return problems


def publish(pdf: Path, lang: str = editions.SOURCE) -> Path:
    atomic_write_bytes(published(lang), pdf.read_bytes())
    return published(lang)


def timed_build(lang: str) -> Path:
    start = time.monotonic()
    pdf = build(lang)
    print(f"PDF ({editions.NAMES[lang]}) built in {time.monotonic() - start:.0f} s "
          f"(log: {PROJECT.relative(log(lang))})", flush=True)
    return pdf


def one(lang: str, pdf: Path | None) -> None:
    """Check and publish the PDF of one language (``pdf``: the one just built; None:
    check the published one)."""
    check_only = pdf is None
    if check_only:
        if not published(lang).exists():
            raise PdfError(f"no PDF at {PROJECT.relative(published(lang))}: run `make pdf`")
        pdf = published(lang)
    problems = check(pdf, latex_dir(lang) / f"{NAME}.tex", lang)
    if problems:
        raise PdfError(f"the PDF ({editions.NAMES[lang]}) failed its checks:\n  "
                       + "\n  ".join(problems))
    if not check_only:
        publish(pdf, lang)
    exp = expected(lang)
    print(f"PDF edition checked ({len(exp.tables)} tables, {len(exp.figures)} figures, fonts "
          f"embedded, Kazakh letters present): {PROJECT.relative(published(lang))} "
          f"({published(lang).stat().st_size / 1e6:.1f} MB); `make book` links it from the HTML")


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="make pdf", description=__doc__.split("\n")[0])
    parser.add_argument("--check-only", action="store_true",
                        help="check the published PDFs without building them")
    parser.add_argument("--languages", help="languages to build, such as 'en kk' "
                        f"(default: $LANGUAGES, else all: {' '.join(editions.LANGUAGES)})")
    parser.add_argument("--latex-only", metavar="LANG", choices=editions.LANGUAGES,
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.latex_only:
        return latex(args.latex_only)
    try:
        languages = editions.selected(args.languages)
    except editions.LanguageError as exc:
        parser.error(str(exc))
    try:
        if args.check_only:
            for lang in languages:
                one(lang, None)
        else:  # the languages' LaTeX runs side by side, one per core
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                made = {lang: pool.submit(timed_build, lang) for lang in languages}
                for lang in languages:
                    one(lang, made[lang].result())
    except PdfError as exc:
        print(f"PDF ERROR: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run(main, prog="make pdf"))

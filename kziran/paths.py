"""Every path the project uses, anchored at this file (never at the working directory)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
DATA = ROOT / "data"
DATAPACKAGE = DATA / "datapackage.json"
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"
BUILD = ROOT / "_build"
HTML = BUILD / "html"
GENERATED = BUILD / "generated"
CACHE = BUILD / ".jupyter_cache"
MANIFEST = CACHE / "kziran-manifest.json"
VALIDATED = BUILD / ".validated"
CONFIG = ROOT / "_config.yml"
TOC = ROOT / "_toc.yml"
CITATION = ROOT / "CITATION.cff"


def relative(path: Path) -> str:
    """Path relative to the repository root, for messages and records."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)

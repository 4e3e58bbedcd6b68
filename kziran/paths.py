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


def _set_root(root: Path) -> None:
    """Point every path of this module at another copy of the project."""
    g = globals()
    g["ROOT"] = root
    g["DATA"] = root / "data"
    g["DATAPACKAGE"] = g["DATA"] / "datapackage.json"
    g["NOTEBOOKS"] = root / "notebooks"
    g["BOOK"] = root / "book"
    g["BUILD"] = root / "_build"
    g["HTML"] = g["BUILD"] / "html"
    g["GENERATED"] = g["BUILD"] / "generated"
    g["CACHE"] = g["BUILD"] / ".jupyter_cache"
    g["MANIFEST"] = g["CACHE"] / "kziran-manifest.json"
    g["VALIDATED"] = g["BUILD"] / ".validated"
    g["CONFIG"] = root / "_config.yml"
    g["TOC"] = root / "_toc.yml"
    g["CITATION"] = root / "CITATION.cff"


class rooted:
    """Context manager for tests: use the project copy at `root` (package code unchanged)."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    def __enter__(self):
        self.saved = ROOT
        _set_root(self.root)
        _clear_caches()
        return self.root

    def __exit__(self, *exc):
        _set_root(self.saved)
        _clear_caches()
        return False


def _clear_caches() -> None:
    import sys

    data = sys.modules.get("kziran.data")
    if data is not None:
        data.descriptor.cache_clear()
        data._VALID.clear()
        data._FRAMES.clear()

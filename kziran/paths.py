"""Every path the project uses, anchored at this file (never at the working directory)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent

# The layout of the project, relative to its root (see _layout below).
ROOT: Path = PACKAGE.parent
DATA: Path
DATAPACKAGE: Path
NOTEBOOKS: Path
BOOK: Path
BUILD: Path
HTML: Path
GENERATED: Path
CACHE: Path
MANIFEST: Path
VALIDATED: Path
CONFIG: Path
TOC: Path
CITATION: Path


def _layout(root: Path) -> dict[str, Path]:
    build = root / "_build"
    return {
        "ROOT": root,
        "DATA": root / "data",
        "DATAPACKAGE": root / "data" / "datapackage.json",
        "NOTEBOOKS": root / "notebooks",
        "BOOK": root / "book",
        "BUILD": build,
        "HTML": build / "html",
        "GENERATED": build / "generated",
        "CACHE": build / ".jupyter_cache",
        "MANIFEST": build / ".jupyter_cache" / "kziran-manifest.json",
        "VALIDATED": build / ".validated",
        "CONFIG": root / "_config.yml",
        "TOC": root / "_toc.yml",
        "CITATION": root / "CITATION.cff",
    }


globals().update(_layout(ROOT))


def relative(path: Path) -> str:
    """Path relative to the repository root, for messages and records."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _set_root(root: Path) -> None:
    """Point every path of this module at another copy of the project."""
    globals().update(_layout(root))


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

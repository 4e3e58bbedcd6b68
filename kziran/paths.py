"""Where everything is: the layout of the project, anchored at this file.

Every path the package uses comes from a :class:`Layout`. ``PROJECT`` is the repository
this package was installed from; a test that works on a copy of the project builds its
own ``Layout(copy)`` and passes it where it is needed (nothing here is ever rewritten).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Layout:
    """The folders and files of one copy of the project."""

    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root).resolve())

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def datapackage(self) -> Path:
        return self.data / "datapackage.json"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def book(self) -> Path:
        return self.root / "book"

    @property
    def config(self) -> Path:
        return self.root / "_config.yml"

    @property
    def toc(self) -> Path:
        return self.root / "_toc.yml"

    @property
    def citation(self) -> Path:
        return self.root / "CITATION.cff"

    @property
    def build(self) -> Path:
        return self.root / "_build"

    @property
    def html(self) -> Path:
        return self.build / "html"

    @property
    def generated(self) -> Path:
        """Files the build writes for Sphinx to read (the BibTeX bibliography)."""
        return self.build / "generated"

    @property
    def cache(self) -> Path:
        """jupyter-cache's store of executed notebooks, which MyST-NB reads."""
        return self.build / ".jupyter_cache"

    @property
    def validated(self) -> Path:
        """Markers of data packages that passed validation, by content fingerprint."""
        return self.build / ".validated"

    @property
    def pdf(self) -> Path:
        """The published, checked PDF edition (``make pdf``)."""
        return self.build / "kziran-edition.pdf"

    def relative(self, path: Path | str) -> str:
        """A path relative to the project root, for messages and records."""
        try:
            return str(Path(os.path.abspath(path)).relative_to(self.root))
        except ValueError:
            return str(path)


PROJECT = Layout(PACKAGE.parent)

"""The presentation layer: every reader-facing table and figure, and what a page glues.

- :mod:`.views`: the tables the chapters show, with human headers and units;
- :mod:`.tables`: :class:`Table`, numbered, escaped, with print widths and a CSV download;
- :mod:`.figures`: the figures, each returned with the alt text computed from its data;
- :mod:`.glue`: numbers, phrases and figures handed to the page's prose.
"""

from .tables import Table

__all__ = ["Table"]

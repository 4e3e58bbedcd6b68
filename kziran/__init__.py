"""Shared logic of the executable edition of Isova & Apsattarova (2020).

Notebooks import from here; nothing in a notebook re-implements what lives here.
"""

__version__ = "0.2.0"

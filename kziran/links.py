"""Links: the one gate through which an address becomes a link the book publishes.

A link that comes from the data (a source's ``url``, a licence's ``path``, the addresses of
``CITATION.cff``) may only be an ``http`` or ``https`` address; a link the book writes
itself may also be relative (``../_sources/x.ipynb#cell-1``). Nothing else passes:
``javascript:``, ``vbscript:``, ``data:``, ``file:`` and every other scheme are refused,
including the forms a browser still follows (``JaVaScRiPt:``, leading spaces or control
characters, a tab inside the scheme, an entity-encoded colon). The book's Markdown parser
(markdown-it, through MyST) refuses the same schemes by default; this is no weaker.

- :func:`problem` says why a value of the data is not a publishable address (for
  validation, which names file, row and column);
- :func:`checked` returns a safe address (for docutils nodes, which escape attributes);
- :func:`href` returns it escaped for an HTML attribute (for HTML the book writes).
"""

from __future__ import annotations

import html
import re

SCHEMES = ("http", "https")
# What a browser removes before it reads an address (WHATWG URL: leading and trailing C0
# controls and spaces, and every tab or newline).
_EDGES = "".join(chr(c) for c in range(0x21))
_TABS = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
# A numeric character reference, or a named one closed by ";" (as "&colon;").
_REFERENCE = re.compile(r"&(#\d+|#[xX][0-9A-Fa-f]+);?|&[A-Za-z][A-Za-z0-9]*;")
_ADDRESS = re.compile(r"^https?://[^/?#@:\s]+(:\d+)?([/?#][^\s<>\"'`\\^{|}]*)?$")


class UnsafeLink(ValueError):
    """An address the book will not publish as a link."""


def _as_browser_reads(value: str) -> str:
    return _TABS.sub("", html.unescape(str(value))).strip(_EDGES)


def problem(value: str) -> str | None:
    """Why ``value`` may not be published as an address from the data (None when it may).

    The value must be exactly an ``http`` or ``https`` address with a host, written in
    lower case, with nothing a browser would strip or decode first."""
    text = str(value)
    seen = _as_browser_reads(text)
    scheme = _SCHEME.match(seen)
    if scheme and scheme.group(1).lower() not in SCHEMES:
        return (f"a link with the scheme {scheme.group(1).lower()!r}: only http and https "
                "addresses are published")
    if not scheme:
        return "not an address: write it in full, starting with https:// (or http://)"
    if _REFERENCE.search(text):
        return "an HTML character reference inside the address: write the characters themselves"
    if _CONTROL.search(text):
        return "a space or control character in the address"
    if not text.startswith(("http://", "https://")):
        return "the scheme must be written http:// or https://, in lower case"
    if not _ADDRESS.match(text):
        return "not a well-formed http or https address (a host is needed; no quotes or brackets)"
    return None


def checked(value: str, relative: bool = False) -> str:
    """The address, if the book may publish it as a link; raises :class:`UnsafeLink`.

    ``relative``: also allow a relative link (one the book writes itself)."""
    seen = _as_browser_reads(value)
    scheme = _SCHEME.match(seen)
    if scheme is None and relative:
        if seen.startswith("//") or "\\" in seen or _CONTROL.search(seen):
            raise UnsafeLink(f"{value!r}: a relative link must be a path inside the book")
        return seen
    reason = problem(value)
    if reason:
        raise UnsafeLink(f"{value!r}: {reason}")
    return str(value)


def href(value: str, relative: bool = False) -> str:
    """The address escaped for an HTML attribute (see :func:`checked`)."""
    return html.escape(checked(value, relative), quote=True)

"""Sphinx extension: the words of the book's scripts, in the page's language.

``book/_static/kziran.js`` builds the claims register's filters and names the sidebar's
buttons in the browser. The words it writes are labels like any other (``ui.filters.*``,
the verdicts, sections and kinds of claim of the data package): every page carries them,
in its language, as a JSON block (``<script type="application/json" id="kziran-words">``)
that the script reads.
"""

from __future__ import annotations

import json

from .. import editions, labels
from ..data import allowed

FACETS = {"verdict": "verdict", "section": "section", "kind": "claim_type"}


def slug(value: str) -> str:
    """A code as the claim cards' classes write it: "not verifiable" -> "not-verifiable"."""
    return value.replace(" ", "-").replace("_", "-")


def words(lang: str) -> dict:
    """What the script needs, in ``lang``."""
    values = {f"{facet}-{slug(v)}": labels.code("claims", field, v, lang)
              for facet, field in FACETS.items() for v in allowed("claims", field)}
    return {"filters": {k: labels.text(f"ui.filters.{k}", lang)
                        for k in ("form", "words", "verdict", "section", "kind", "shown")},
            "values": values,
            "sections_of": labels.text("ui.sections_of", lang),
            "this_page": labels.text("ui.this_page", lang)}


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if app.builder.format != "html" or doctree is None:
        return
    if getattr(app, "kziran_words", None) is None:
        body = json.dumps(words(app.config.language or editions.SOURCE), ensure_ascii=False)
        app.kziran_words = (body.replace("<", "\\u003c").replace(">", "\\u003e")
                            .replace("&", "\\u0026"))
    context["body"] = (context.get("body", "") + '\n<script type="application/json" '
                       f'id="kziran-words">{app.kziran_words}</script>\n')


def setup(app):
    app.connect("html-page-context", _page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension: numbers and phrases glued into the prose, in the page's language.

The glue roles of MyST-NB (``{glue:text}``, ``{glue:md}``) are replaced by roles that read
the glued value from the page's execution (jupyter-cache's record, the one the page
shows) rather than from the parser's state, so they work in every paragraph, a translated
one included. ``{glue:text}`key:,.0f``` prints the number in the page's language (its
Python format spec says the decimals and whether to group thousands; Babel writes them);
``{glue:md}`key``` pastes the phrase made for the page's language.

A glued number says where it comes from. One the edition computed is underlined with dots
and, on hover, focus or tap, says which cell of the page's notebook computed it and its
exact value before rounding; a figure the article itself states looks different and says
where the article states it and which claim of the register checks it.
"""

from __future__ import annotations

import ast
import re
from functools import cache

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from .. import formats, labels
from ..data import load
from ..presentation.glue import META
from . import provenance

logger = logging.getLogger(__name__)
SPEC = re.compile(r"(\+?)(,?)(?:\.(\d+))?[fd]?")


class glued(nodes.inline):
    """A glued value: its text, and the note that says where it comes from."""


def format_value(value, spec: str, lang: str) -> str:
    """A glued value as the page prints it (the format spec's decimals and grouping)."""
    if isinstance(value, str):
        return value
    found = SPEC.fullmatch(spec.strip())
    if found is None:
        raise ValueError(f"cannot read the format {spec!r} (use forms such as ,.0f or .1f)")
    decimals = int(found[3]) if found[3] else (0 if isinstance(value, int) else None)
    return formats.number(value, decimals, lang, grouping=bool(found[2]), sign=bool(found[1]))


@cache
def _claim_places() -> dict[str, tuple[str, int]]:
    """Where the article states each claim: its section and paragraph (the concordance)."""
    places = {}
    for r in load("concordance").itertuples(index=False):
        for claim in ("" if not isinstance(r.claims, str) else r.claims).split():
            places.setdefault(claim, (r.section, int(r.paragraph)))
    return places


def _output(env, key: str) -> dict | None:
    run = provenance.execution(env.app, env.docname)
    return None if run is None else run["outputs"].get(key)


def _data(output: dict) -> dict[str, str]:
    prefix = output.get("metadata", {}).get("scrapbook", {}).get("mime_prefix", "")
    return {k.removeprefix(prefix): v for k, v in output.get("data", {}).items()}


def _cell_number(env, key: str) -> int:
    run = provenance.execution(env.app, env.docname)
    return run["cells"].index(run["glued"][key]) + 1


def note(env, key: str, meta: dict, lang: str) -> tuple[str, str]:
    """(kind, words) of a glued number's note."""
    if "quoted" in meta:
        claim = meta["quoted"]
        section, paragraph = _claim_places().get(claim, (None, None))
        where = (labels.text("glue.where", lang,
                             section=labels.code("claims", "section", section, lang),
                             paragraph=paragraph) if section else labels.text("glue.nowhere", lang))
        return "quoted", labels.text("glue.quoted", lang, where=where, n=int(claim[1:]))
    words = labels.text("glue.computed", lang, cell=_cell_number(env, key))
    if "exact" in meta:
        words += " " + labels.text("glue.exact", lang, value=formats.exact(meta["exact"], lang))
    return "computed", words


class _GlueRole(SphinxRole):
    def nothing_glued(self, what: str):
        """A warning (an error in the strict build), and nothing pasted."""
        logger.warning(f"glue: {what}", location=(self.env.docname, self.lineno),
                       type="kziran", subtype="glue")
        return [], []

    @property
    def lang(self) -> str:
        return self.config.language or "en"


class GluedText(_GlueRole):
    """``{glue:text}`key[:format]```: a glued number (or plain text) in the page's language."""

    def run(self):
        key, _, spec = self.text.partition(":")
        key = key.strip()
        output = _output(self.env, key)
        if output is None or "text/plain" not in _data(output):
            return self.nothing_glued(f"no number {key!r} is glued in this page's notebook")
        raw = _data(output)["text/plain"]
        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            value = raw
        try:
            text = format_value(value, spec, self.lang)
        except ValueError as exc:
            return self.nothing_glued(f"{key}: {exc}")
        node = glued(text, text, kziran_glue=key)
        if not isinstance(value, str):
            kind, words = note(self.env, key, output.get("metadata", {}).get(META, {}),
                               self.lang)
            node["classes"] += ["kziran-glued", f"kziran-{kind}"]
            node["note"] = words
        return [node], []


class GluedMarkdown(_GlueRole):
    """``{glue:md}`key```: a glued phrase, in the page's language, parsed as MyST."""

    def run(self):
        key = self.text.strip()
        output = _output(self.env, key)
        data = _data(output) if output else {}
        text = data.get(f"text/vnd.kziran.{self.lang}+markdown") or data.get("text/markdown")
        if text is None:
            return self.nothing_glued(f"no phrase {key!r} is glued in this page's notebook")
        parsed, messages = self.inliner.parse(text.strip(), self.lineno, None,
                                              self.inliner.document)
        node = glued("", "", *parsed, kziran_glue=key)
        return [node], messages


def _visit_html(self, node):
    if not node.get("note"):
        self.body.append(self.starttag(node, "span", ""))
        return
    number = self.document.setdefault("kziran_notes", [0])
    number[0] += 1
    node["note_id"] = f"kziran-note-{number[0]}"
    self.body.append(self.starttag(node, "span", "", tabindex="0",
                                   **{"aria-describedby": node["note_id"]}))


def _depart_html(self, node):
    if node.get("note"):
        self.body.append(f'<span class="kziran-note" role="tooltip" id="{node["note_id"]}">'
                         f"{self.encode(node['note'])}</span>")
    self.body.append("</span>")


def _pass(self, node):
    pass


def setup(app):
    app.add_node(glued, html=(_visit_html, _depart_html), latex=(_pass, _pass),
                 text=(_pass, _pass))
    app.add_role_to_domain("glue", "text", GluedText(), override=True)
    app.add_role_to_domain("glue", "md", GluedMarkdown(), override=True)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

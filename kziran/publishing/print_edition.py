"""Sphinx extension: what the PDF edition (LaTeX builder) needs beyond the HTML.

Tables bring their own column widths and ask for a long table when they are long (see
:class:`kziran.presentation.tables.Table`); here, for print only:

- a table marked ``kziran-small`` (many columns) is set in smaller type;
- words longer than 15 characters inside tables (source keys such as
  ``KazakhstanToday2009GorganConsulate``) get break points, so columns can wrap.
"""

from __future__ import annotations

import re

from docutils import nodes

_BREAK_AFTER = re.compile(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[0-9])(?=[A-Za-z])|(?<=[/_.:-])")


def _allow_breaks(text: nodes.Text) -> None:
    if not any(len(w) > 15 for w in text.astext().split()):
        return
    parts: list[nodes.Node] = []
    for piece in re.split(r"(\s+)", text.astext()):
        if len(piece) > 15:
            chunks = _BREAK_AFTER.split(piece)
            for i, chunk in enumerate(chunks):
                parts.append(nodes.Text(chunk))
                if i < len(chunks) - 1:
                    parts.append(nodes.raw("", "\\allowbreak{}", format="latex"))
        elif piece:
            parts.append(nodes.Text(piece))
    text.parent.replace(text, parts)


def _for_print(app, doctree, docname) -> None:
    if app.builder.format != "latex":
        return
    for table in list(doctree.findall(nodes.table)):
        for text in list(table.findall(nodes.Text)):
            _allow_breaks(text)
        if "kziran-small" in table["classes"]:
            parent, at = table.parent, table.parent.index(table)
            parent.insert(at + 1, nodes.raw("", "\\endgroup\n", format="latex"))
            parent.insert(at, nodes.raw("", "\\begingroup\\footnotesize\n", format="latex"))


def setup(app):
    app.connect("doctree-resolved", _for_print)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

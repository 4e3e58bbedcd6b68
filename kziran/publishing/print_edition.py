"""Sphinx extension: what the PDF edition (LaTeX builder) needs beyond the HTML.

The title page names the edition, the article it edits with its authors, the editors, and
the version with its date as the citations give them. Tables bring their own column widths and ask for a long table when they are long (see
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


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}"}


def tex(text: str) -> str:
    """Text as LaTeX writes it, special characters escaped."""
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


def title_page(app) -> str:
    """The title page: the edition, the article it edits and its authors, the editors, the
    version and its date as the citations give them (all from CITATION.cff)."""
    from .. import labels
    from ..paths import Layout
    from . import citations

    meta = citations.load_meta(Layout(app.srcdir))
    lang = app.config.language or "en"
    authors = [n.get("given", "") + " " + n["family"] if "family" in n else n["literal"]
               for n in meta.article["author"]]
    initials = [" ".join(p[0] + "." for p in a.split()[:-1]) + " " + a.split()[-1]
                for a in authors]
    editors = "; ".join(citations.display_name(a) for a in meta.authors)
    article = meta.article
    source = f"{article['container-title']} {article['issued']['date-parts'][0][0]}"
    if article.get("issue"):
        source += ", " + labels.text("print.issue", lang, issue=article["issue"])
    lines = [
        r"\begin{titlepage}\centering",
        r"\vspace*{3em}{\Huge\bfseries " + tex(labels.text("edition.title", lang))
        + r"\par}\vspace{2.5em}",
        r"{\Large " + tex(labels.text("print.edition_of", lang,
                                       authors=labels.text("ui.list_and", lang).join(initials)))
        + r"\par}\vspace{1em}",
        r"{\large " + tex(article["title"]) + r"\par}\vspace{0.6em}",
        r"{\large " + tex(source) + r"\par}\vspace{3em}",
        r"{\large " + tex(labels.text("print.editors", lang, editors=editors)) + r"\par}",
        r"\vspace{1.5em}{\large " + tex(labels.text("print.version", lang,
                                                      version=citations.version_label(meta, lang)))
        + r"\par}\vfill",
        r"{\small " + tex(labels.text("print.licences", lang)) + r"\par}",
        r"\end{titlepage}"]
    return "\n".join(lines)


def _title(app, config) -> None:
    config.latex_elements = {**(config.latex_elements or {}), "maketitle": title_page(app)}


def setup(app):
    app.connect("config-inited", _title)
    app.connect("doctree-resolved", _for_print)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

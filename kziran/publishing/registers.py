"""Sphinx extension: links to the rows of the registers, and the anchors they land on.

- ``{reg}`C005 E002``` in prose names register rows by their ids (ranges such as
  ``C014–C016`` allowed) and renders them as readers name them, each a link to its card
  or row: "claim 5; Iran recognises Kazakhstan". Claims that follow each other are named
  together ("claims 51 and 52"). An id that names no row, or a row without an anchor, is a
  build error (with ``-n``, an undefined label), so no reference can dangle.
- ``{kziran-target}`event-e004``` is an inline anchor (the tables of the registers put one
  in the first cell of each row), which ``{ref}`` can link to.

The words come from :mod:`kziran.presentation.references`, in the page's language; the
page is read again when the registers change.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from ..data import PACKAGE
from ..presentation import references
from ..presentation.references import REGISTERS


def _lang(inliner) -> str:
    return inliner.document.settings.env.config.language or "en"


def _link(rawtext: str, text: str, target: str, inliner) -> addnodes.pending_xref:
    env = inliner.document.settings.env
    node = addnodes.pending_xref(rawtext, refdomain="std", reftype="ref", reftarget=target,
                                 refexplicit=True, refwarn=True, refdoc=env.docname)
    node += nodes.inline(text, text, classes=["xref", "std", "std-ref"])
    return node


def reg_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    lang = _lang(inliner)
    env = inliner.document.settings.env
    try:
        ids = references.expand(text)
        for rid in ids:
            env.note_dependency(str(PACKAGE.path(REGISTERS[rid[0]][0])))
            references.name(rid, lang)  # raises KeyError for a row that does not exist
    except (ValueError, KeyError) as exc:
        msg = inliner.reporter.error(f"reg: {exc}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    out: list[nodes.Node] = []
    i = 0
    while i < len(ids):
        if out:
            out.append(nodes.Text("; "))
        if ids[i][0] == "C":  # claims that follow each other are named together
            run = [ids[i]]
            while i + len(run) < len(ids) and ids[i + len(run)][0] == "C":
                run.append(ids[i + len(run)])
            if len(run) == 1:
                out.append(_link(rawtext, references.name(run[0], lang),
                                 references.anchor(run[0]), inliner))
            else:
                from .. import labels

                numbers = [str(int(c[1:])) for c in run]
                words = labels.text("ui.claims_n", lang, list="\x00").split("\x00")
                out.append(nodes.Text(words[0]))
                for j, (c, n) in enumerate(zip(run, numbers)):
                    if j:
                        sep = labels.text("ui.list_and", lang) if j == len(run) - 1 else ", "
                        out.append(nodes.Text(sep))
                    out.append(_link(rawtext, n, references.anchor(c), inliner))
                out.append(nodes.Text(words[1] if len(words) > 1 else ""))
            i += len(run)
            continue
        out.append(_link(rawtext, references.name(ids[i], lang), references.anchor(ids[i]),
                         inliner))
        i += 1
    return out, []


def target_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    label = text.strip()
    node = nodes.target("", "", ids=[label], names=[label])
    inliner.document.note_explicit_target(node)
    return [node], []


def setup(app):
    app.add_role("reg", reg_role)
    app.add_role("kziran-target", target_role)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension: the HTML edition works offline, describes its figures, links the PDF.

- With live code off (``launch_buttons.thebe: false``) pages load none of sphinx-thebe's
  scripts, whose configuration names a CDN, nor its inert configuration block. MathJax is
  not loaded either: no page has mathematics (``dollarmath`` is off).
- Every PNG image without alt text takes the one its figure function computed from the
  data and stored in the PNG ("Description"); every figure fills the text column and
  links to its image, so that it opens full size.
- ``pdf-edition`` role: a link to the PDF edition (``make pdf``) when one is published,
  otherwise its words alone. The page depends on the PDF file, so it is
  read again when the PDF appears or changes; the PDF is copied into the output.
- The root ``index.html``, a bare redirect written by sphinx-external-toc, becomes a
  complete page (language, title, a link).
"""

from __future__ import annotations

import html
import posixpath
import shutil
from pathlib import Path

from docutils import nodes

from .. import editions, links
from ..paths import Layout


def _thebe_on(app) -> bool:
    buttons = (app.config.html_theme_options or {}).get("launch_buttons", {}) or {}
    return bool(buttons.get("thebe"))


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    if _thebe_on(app):
        return
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key]
                            if "thebe" not in (getattr(a, "filename", None) or str(a))
                            and "THEBE_JS_URL" not in ((getattr(a, "attributes", None) or {})
                                                      .get("body", "") or "")]


def _drop_thebe_config(app, doctree, docname) -> None:
    if _thebe_on(app):
        return
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext().strip()
        if "x-thebe-config" in text or text.startswith("<script>kernelName ="):
            node.parent.remove(node)


def _in_figure(node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.figure):
            return True
        parent = parent.parent
    return False


def _alt_from_png(app, doctree) -> None:
    from PIL import Image

    for node in doctree.findall(nodes.image):
        if _in_figure(node) and not node.get("width"):
            # A figure fills the text column, and Sphinx links a sized image to the image
            # itself (html_scaled_image_link): every figure opens full size.
            node["width"] = "100%"
        uri = node.get("uri", "")
        if node.get("alt") or not uri.endswith(".png"):
            continue
        # Sphinx's image collector already made the URI relative to the source folder.
        rel = node.get("candidates", {}).get("*")
        path = Path(app.srcdir) / rel if rel else Path(app.env.relfn2path(uri)[1])
        try:
            with Image.open(path) as img:
                alt = img.text.get("Description")
        except OSError:
            continue
        if alt:
            node["alt"] = alt


def pdf_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    pdf = editions.pdf(env.config.language or editions.SOURCE, Layout(env.srcdir))
    env.note_dependency(str(pdf))  # read again when the PDF appears or changes
    if env.app.builder.format != "html":
        return [nodes.Text(text)], []
    if pdf.exists():
        target = links.checked(posixpath.relpath(pdf.name, posixpath.dirname(env.docname) or "."),
                               relative=True)
        label = f"{text} ({pdf.stat().st_size / 1e6:.1f} MB)"
        return [nodes.reference(rawtext, label, refuri=target, classes=["kziran-pdf-link"])], []
    # Not built for this copy (the reader's page gives no build instructions: the rerun
    # page and the README say how to make it).
    return [nodes.inline(rawtext, text, classes=["kziran-pdf-missing"])], []


def _finish(app, exception) -> None:
    if exception is not None or app.builder.name != "html":
        return
    pdf = editions.pdf(app.config.language or editions.SOURCE, Layout(app.srcdir))
    target = Path(app.outdir) / pdf.name
    if pdf.exists():
        shutil.copyfile(pdf, target)
    else:
        target.unlink(missing_ok=True)
    index = Path(app.outdir) / "index.html"
    if app.config.root_doc != "index" and (
            not index.exists() or index.read_text(encoding="utf-8").startswith("<meta")):
        url = links.href(f"{app.config.root_doc}.html", relative=True)
        title = html.escape(app.config.html_title or app.config.project)
        index.write_text(
            f'<!DOCTYPE html>\n<html lang="{app.config.language or "en"}">\n<head>\n'
            f'<meta charset="utf-8">\n<title>{title}</title>\n'
            f'<meta http-equiv="refresh" content="0; url={url}">\n</head>\n<body>\n'
            f'<p><a href="{url}">{title}</a></p>\n</body>\n</html>\n', encoding="utf-8")


def setup(app):
    app.connect("html-page-context", _drop_thebe)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    app.connect("doctree-read", _alt_from_png)
    app.add_role("pdf-edition", pdf_role)
    app.connect("build-finished", _finish)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

"""The book's own kinds of notebook output, rendered by MyST-NB through its plugin hook.

A table's output carries, beside its Markdown, the table as data
(``application/vnd.kziran.table+json``, read by :mod:`.downloads`): nothing of it is
rendered on the page. An output made in several languages carries one variant per further
language (``text/vnd.kziran.<lang>+markdown``, ``image/vnd.kziran.<lang>+png``): a build in
that language prefers the variant, and renders it as MyST-NB renders Markdown and images;
the variants of the other languages render nothing.

The plugin is declared to MyST-NB as an entry point (``myst_nb.mime_renderers`` in
``pyproject.toml``); the Sphinx extension here sets the build's preference.
"""

from __future__ import annotations

import re

from myst_nb.core.render import MimeData

from ..presentation.tables import MIME as TABLE
from ..presentation.tables import VARIANTS

VARIANT = re.compile(r"^(text|image)/vnd\.kziran\.([a-z]{2})\+(markdown|png)$")


def variant(kind: str, lang: str) -> str:
    """The mime type of an output's variant in a language: ('markdown', 'kk')."""
    return f"{'text' if kind == 'markdown' else 'image'}/vnd.kziran.{lang}+{kind}"


class KziranMimeRenderer:
    """MyST-NB mime render plugin (see the module's docstring)."""

    mime_priority_overrides = ()

    @staticmethod
    def handle_mime(renderer, data: MimeData, inline: bool):
        if data.mime_type == TABLE:
            return []
        env = renderer.renderer.sphinx_env
        lang = (env.config.language if env is not None else None) or "en"
        if data.mime_type in ("text/markdown", "image/png"):
            # The standard form of an output that has a variant in the build's language
            # renders nothing: the variant stands in its place (no target defined twice).
            return [] if lang in data.output_metadata.get(VARIANTS, ()) else None
        found = VARIANT.match(data.mime_type)
        if not found:
            return None
        if found.group(2) != lang:
            return []
        standard = "text/markdown" if found.group(3) == "markdown" else "image/png"
        same = MimeData(standard, data.content, cell_metadata=data.cell_metadata,
                        output_metadata=data.output_metadata, cell_index=data.cell_index,
                        output_index=data.output_index, line=data.line)
        if standard == "image/png":
            return renderer.render_image(same)
        return renderer.render_markdown_inline(same) if inline else renderer.render_markdown(same)


def _prefer_language(app, config) -> None:
    lang = config.language or "en"
    if lang == "en":
        return
    overrides = list(config.nb_mime_priority_overrides or [])
    for builder in ("html", "latex", "readthedocs", "singlehtml"):
        overrides += [(builder, variant("markdown", lang), 1), (builder, variant("png", lang), 2)]
    config.nb_mime_priority_overrides = overrides


def setup(app):
    app.connect("config-inited", _prefer_language)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

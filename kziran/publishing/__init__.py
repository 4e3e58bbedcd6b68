"""The publishing layer: the book's Sphinx extensions, one per feature.

- :mod:`.bibliography`: the BibTeX bibliography, generated from the data package;
- :mod:`.freshness`: no page older than the outputs it shows;
- :mod:`.citations` and :mod:`.cite_boxes`: one CSL-JSON record per citable item, the
  "Cite this ..." boxes and the record of items for ``python -m kziran cite``;
- :mod:`.provenance`: how each table, figure and glued number was made;
- :mod:`.manifest`: the manifest of the edition, for comparing editions;
- :mod:`.html_edition` and :mod:`.print_edition`: the offline HTML and the PDF;
- :mod:`.languages`: the glossary and the language roles.
"""


def cache(app):
    """The jupyter-cache store MyST-NB reads, opened once per build."""
    if "kziran_cache" not in app.__dict__:
        from jupyter_cache import get_cache

        app.kziran_cache = get_cache(app.config.nb_execution_cache_path)
    return app.kziran_cache


def keep_per_page(app, attribute: str) -> None:
    """Keep ``env.<attribute>``, a dict of what each page holds, in step with Sphinx: a
    page read again is forgotten first, and parallel readers' findings are merged."""

    def purge(app, env, docname):
        getattr(env, attribute, {}).pop(docname, None)

    def merge(app, env, docnames, other):
        found = getattr(env, attribute, None)
        if found is None:
            found = {}
            setattr(env, attribute, found)
        theirs = getattr(other, attribute, {})
        found.update({d: theirs[d] for d in docnames if d in theirs})

    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)

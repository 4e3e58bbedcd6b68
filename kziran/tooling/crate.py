"""The edition as an RO-Crate, with the record of how it was built (``make crate``).

``_build/kziran-edition-<version>.crate.zip`` (and the same crate unpacked in ``_build/crate/``)
holds what a repository, WorkflowHub or any RO-Crate tool needs to know the edition and
re-run it: the notebooks, the data package (each file under its own licence), the
citation metadata, the locked environment and the build's entry points; and the edition as
built, the HTML site (one zip) and the PDF, each with its size and SHA-256. Written with
the ``rocrate`` library, as a Process Run Crate (https://w3id.org/ro/wfrun/process/0.5):

- one ``CreateAction`` per notebook execution, from jupyter-cache's record of it (when it
  ended, how long it took, the data files it read with their hashes) whose result is the
  executed notebook as committed;
- one ``CreateAction`` for the build of the book (Jupyter Book), whose objects are the
  notebooks and pages and whose results are the HTML site and the PDF.

``--validate`` checks a crate with roc-validator against the Process Run Crate profile
(and so RO-Crate 1.1 and later), offline: the RO-Crate context it needs is served from
the copy the ``rocrate`` package ships, put into the validator's HTTP cache with
requests-cache's own ``save_response``; nothing is fetched.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import io
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .. import editions
from ..commands import ArgumentParser, CommandError, run
from ..data import Package
from ..paths import PROJECT, Layout
from ..publishing.linked_data import LICENCES

PROFILE = "https://w3id.org/ro/wfrun/process/0.5"
CONTEXT = "https://w3id.org/ro/crate/1.3/context"
# The files of the repository a re-runner needs besides notebooks and data.
PROJECT_FILES = {"README.md": "text/markdown", "CITATION.cff": "application/x-yaml",
                 "LICENSE": "text/plain", "LICENSE-CC-BY-4.0.md": "text/markdown",
                 "_config.yml": "application/x-yaml", "_toc.yml": "application/x-yaml",
                 "environment.yml": "application/x-yaml", "requirements.txt": "text/plain",
                 "pyproject.toml": "application/toml", "Makefile": "text/x-makefile"}
IPYNB = "application/x-ipynb+json"
COMPLETED = "http://schema.org/CompletedActionStatus"
FIXED = (2020, 1, 1, 0, 0, 0)  # zip entry time: the same site gives the same zip


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _described(path: Path, fmt: str, **extra) -> dict:
    return {"encodingFormat": fmt, "contentSize": str(path.stat().st_size),
            "sha256": sha256(path), **extra}


def site_zip(html: Path, target: Path) -> Path:
    """The HTML site as one zip, the same bytes for the same site."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(p for p in html.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"html/{f.relative_to(html).as_posix()}", FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, f.read_bytes())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buf.getvalue())
    return target


def executions(layout: Layout) -> list[dict]:
    """jupyter-cache's record of each notebook's current execution."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(layout.cache)
    out = []
    for nb_path in sorted(layout.notebooks.glob("*.ipynb")):
        record = cache.match_cache_notebook(nbformat.read(nb_path, as_version=4))
        if record is None:
            raise CommandError(f"{layout.relative(nb_path)} has no execution in the build "
                               "cache for its current code: run `make book` first")
        data = record.data or {}
        inputs = data.get("inputs") or {}
        if isinstance(inputs, str):  # stored as its repr by older records
            import ast

            inputs = ast.literal_eval(inputs)
        seconds = float(data.get("seconds", 0) or 0)
        out.append({"notebook": nb_path, "end": record.created,
                    "start": record.created - timedelta(seconds=seconds), "inputs": inputs})
    return out


def _iso(moment: datetime) -> str:
    """ISO 8601 with its offset (jupyter-cache records its times in UTC, without one)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.replace(microsecond=0).isoformat()


def build(layout: Layout = PROJECT, out: Path | None = None) -> Path:
    """Write the crate into ``out`` (default ``_build/crate``) and zip it beside it."""
    from rocrate.model.contextentity import ContextEntity
    from rocrate.rocrate import ROCrate

    from ..publishing import citations

    html = layout.build / "html"
    manifest = html / "edition.json"
    if not manifest.exists():
        raise CommandError("the book is not built: run `make book` first")
    out = out or layout.build / "crate"
    meta = citations.load_meta(layout)
    pkg = Package(layout)
    crate = ROCrate()
    root = crate.root_dataset
    team = crate.add(ContextEntity(crate, "#edition-team", {
        "@type": "Organization", "name": citations.display_name(meta.authors[0]),
        "url": meta.repository}))
    _set(root, {"name": meta.title, "version": meta.version, "author": team,
                 "datePublished": meta.released.isoformat(), "url": meta.url,
                 "publisher": team,
                 "license": [crate.add(ContextEntity(crate, LICENCES[k], {
                     "@type": "CreativeWork", "name": k})) for k in ("CC-BY-4.0", "MIT")],
                 "description": " ".join(_cff(layout).get("abstract", "").split()),
                 "codeRepository": meta.repository, "keywords": list(meta.keywords)})
    art = meta.article
    cited = next(r for r in _cff(layout)["references"] if r.get("type") == "article")
    places = {a["family-names"]: a.get("affiliation") for a in cited["authors"]}
    root["isBasedOn"] = crate.add(ContextEntity(crate, art["URL"], {
        "@type": "ScholarlyArticle", "name": art["title"], "inLanguage": art.get("language"),
        "author": [crate.add(ContextEntity(crate, f"#author-{a['family'].lower()}", {
            "@type": "Person", "familyName": a["family"], "givenName": a.get("given", ""),
            "name": f"{a.get('given', '')} {a['family']}".strip(),
            **_affiliation(crate, places.get(a["family"]))})) for a in art["author"]],
        "datePublished": str(art["issued"]["date-parts"][0][0])}))
    profile = crate.add(ContextEntity(crate, PROFILE, {
        "@type": "CreativeWork", "name": "Process Run Crate", "version": "0.5"}))
    root["conformsTo"] = profile
    # Process Run Crate 0.5 extends RO-Crate 1.1; the crate is written as 1.3, which keeps
    # every 1.1 rule, and says it conforms to both.
    crate.metadata["conformsTo"] = [{"@id": "https://w3id.org/ro/crate/1.3"},
                                    {"@id": "https://w3id.org/ro/crate/1.1"}]

    files = {name: crate.add_file(layout.root / name, name, properties={
        "name": name, **_described(layout.root / name, fmt)})
        for name, fmt in PROJECT_FILES.items() if (layout.root / name).exists()}
    data = crate.add_dataset(None, "data/", properties={
        "name": pkg.descriptor.get("title", "data"), "license": LICENCES["CC-BY-4.0"]})
    package_file = crate.add_file(layout.data / "datapackage.json", "data/datapackage.json",
                                  properties={"name": "Frictionless data package descriptor",
                                              **_described(layout.data / "datapackage.json",
                                                           "application/json")})
    parts = [package_file]
    by_path = {}
    for name in pkg.names():
        res = pkg.resource(name)
        src = layout.data / res["path"]
        licence = (res.get("licenses") or pkg.descriptor["licenses"])[0]
        entity = crate.add_file(src, f"data/{res['path']}", properties={
            "name": res.get("title", name), "description": res.get("description", ""),
            "license": licence["path"], **_described(src, "text/csv")})
        parts.append(entity)
        by_path[f"data/{res['path']}"] = entity
    data["hasPart"] = parts

    runs = []
    kernel = crate.add(ContextEntity(crate, "https://ipython.org/", {
        "@type": "SoftwareApplication", "name": "IPython kernel (ipykernel)",
        "url": "https://ipython.org/", "version": importlib.metadata.version("ipykernel")}))
    notebooks = []
    for ex in executions(layout):
        rel = layout.relative(ex["notebook"])
        nb = crate.add_file(ex["notebook"], rel, properties={"name": ex["notebook"].stem,
                                                              **_described(ex["notebook"],
                                                                           IPYNB)})
        notebooks.append(nb)
        read = [by_path[p] for p in sorted(ex["inputs"]) if p in by_path]
        runs.append(crate.add_action(kernel, identifier=f"#run-{ex['notebook'].stem}",
                                     object=[nb, *read], result=nb, properties={
            "name": f"Execution of {rel}",
            "description": "The notebook run top to bottom in the locked environment; its "
                           "outputs are committed with it and shown by the book.",
            "startTime": _iso(ex["start"]), "endTime": _iso(ex["end"]), "agent": team,
            "actionStatus": COMPLETED}))

    site = site_zip(html, layout.build / "kziran-edition-html.zip")
    results = [crate.add_file(site, site.name, properties={
        "name": "The edition as a website (HTML), in English with the Kazakh (kk/) and "
                "Russian (ru/) sites inside it", **_described(site, "application/zip"),
        "inLanguage": [editions.TAGS[lang] for lang in editions.LANGUAGES]})]
    for lang in editions.LANGUAGES:
        pdf = editions.pdf(lang, layout)
        if pdf.exists():
            results.append(crate.add_file(pdf, pdf.name, properties={
                "name": f"The edition for print (PDF), {editions.NAMES[lang]}",
                "inLanguage": editions.TAGS[lang], **_described(pdf, "application/pdf")}))
    results.append(crate.add_file(manifest, "edition.json", properties={
        "name": "Manifest of the edition: every value, table, figure and verdict it states",
        **_described(manifest, "application/json")}))
    book = crate.add(ContextEntity(crate, "https://jupyterbook.org/", {
        "@type": "SoftwareApplication", "name": "Jupyter Book",
        "url": "https://jupyterbook.org/", "version": importlib.metadata.version("jupyter-book")}))
    runs.append(crate.add_action(book, identifier="#build", object=[
        *notebooks, files["_config.yml"], files["_toc.yml"], data], result=results, properties={
        "name": "Build of the book",
        "description": "Jupyter Book renders the executed notebooks and the pages of the "
                       "book into the HTML site; the PDF is typeset from the same sources.",
        "endTime": _iso(datetime.fromtimestamp(manifest.stat().st_mtime, UTC)), "agent": team,
        "actionStatus": COMPLETED}))
    root["mentions"] = runs

    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    crate.write(tmp)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    zipped = out.with_name(zip_name(meta.version))
    crate.write_zip(zipped.with_suffix(".tmp.zip"))
    zipped.with_suffix(".tmp.zip").replace(zipped)
    return out


def _affiliation(crate, name: str | None) -> dict:
    from rocrate.model.contextentity import ContextEntity

    if not name:
        return {}
    slug = "".join(ch for ch in name.lower() if ch.isalnum())
    return {"affiliation": crate.add(ContextEntity(crate, f"#org-{slug}", {
        "@type": "Organization", "name": name}))}


def zip_name(version: str) -> str:
    return f"kziran-edition-{version}.crate.zip"


def _set(entity, values: dict) -> None:
    for key, value in values.items():
        entity[key] = value


def _cff(layout: Layout) -> dict:
    import yaml

    return yaml.safe_load(layout.citation.read_text(encoding="utf-8")) or {}


def offline_cache(path: Path) -> Path:
    """A requests-cache store holding the RO-Crate context, from the rocrate package."""
    import requests
    import requests_cache
    import urllib3

    body = (importlib.resources.files("rocrate") / "data" / "ro-crate.jsonld").read_bytes()
    session = requests_cache.CachedSession(cache_name=str(path), backend="sqlite",
                                           expire_after=-1)
    for url in (CONTEXT, CONTEXT.replace("https://", "http://")):
        resp = requests.Response()
        resp.status_code, resp._content, resp.url = 200, body, url
        resp.headers["Content-Type"] = "application/ld+json"
        resp.request = requests.Request("GET", url).prepare()
        resp.raw = urllib3.HTTPResponse(body=io.BytesIO(body), status=200, request_url=url,
                                        headers={"Content-Type": "application/ld+json"},
                                        preload_content=False)
        session.cache.save_response(resp)
    return path


def validate(crate_dir: Path, severity: str = "REQUIRED") -> list[str]:
    """Problems roc-validator finds in the crate (Process Run Crate profile), offline."""
    from rocrate_validator import services

    if not (crate_dir / "ro-crate-metadata.json").exists():
        raise CommandError(f"{crate_dir} holds no ro-crate-metadata.json: run `make crate`")
    cache = offline_cache(crate_dir.parent / "crate-validator-cache")
    result = services.validate({"rocrate_uri": str(crate_dir.resolve()),
                                "profile_identifier": "process-run-crate",
                                "requirement_severity": severity, "offline": True,
                                "cache_path": str(cache)})
    return [f"{i.check.identifier}: {i.message}" for i in result.get_issues()]


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="kziran.tooling.crate", description=__doc__.split("\n")[0])
    parser.add_argument("--validate", metavar="DIR", type=Path,
                        help="validate the crate unpacked in DIR instead of writing one")
    args = parser.parse_args(argv)
    if args.validate:
        problems = validate(args.validate)
        for p in problems:
            print(p)
        print(f"{args.validate}: " + ("a valid Process Run Crate" if not problems
                                       else f"{len(problems)} problem(s)"))
        return 1 if problems else 0
    out = build()
    print(f"RO-Crate of the edition: {out}/ro-crate-metadata.json and its zip beside it")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, prog="kziran.tooling.crate"))

"""The data layer: load and validate the data package, nothing else.

``load(name)`` returns one resource as a typed DataFrame, after the package was found
valid against its schema; ``PACKAGE`` is this project's package. Cross-file checks of the
registers live above this layer, in :mod:`kziran.analysis.references`.
"""

from __future__ import annotations

from .package import DEPS_ENV, DataError, Package
from .validation import Problem, report, validate

PACKAGE = Package()


def load(name: str, package: Package = PACKAGE):
    """One resource as a typed DataFrame, once the package was found valid against its
    schema (checked once per content fingerprint in a process)."""
    fp = package.fingerprint()
    if fp not in package.valid:
        validate(package, level="schema")
        package.valid.add(fp)
    return package.read(name)


def allowed(resource: str, field: str) -> tuple[str, ...]:
    """The values a field may take, as the schema lists them (its enum constraint)."""
    for f in PACKAGE.fields(resource):
        if f["name"] == field:
            return tuple(f.get("constraints", {}).get("enum", ()))
    raise KeyError(f"no field {field!r} in resource {resource!r}")


__all__ = [
    "DEPS_ENV",
    "PACKAGE",
    "DataError",
    "Package",
    "Problem",
    "allowed",
    "load",
    "report",
    "validate",
]

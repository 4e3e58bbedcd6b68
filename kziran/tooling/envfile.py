"""Keep environment.yml (conda, Binder) and requirements.txt (pip, make) identical."""

from __future__ import annotations

import re
import sys

from packaging.utils import canonicalize_name

from ..commands import ArgumentParser, run
from ..paths import PROJECT

PYTHON = "3.11"
REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")


def pins(lines) -> dict[str, str]:
    """{normalised name: version} from lines of `name==version` (comments ignored)."""
    out = {}
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = REQUIREMENT.match(line)
        if not m:
            raise ValueError(f"not an exact pin: {raw!r}")
        out[canonicalize_name(m[1])] = m[2]
    return out


def requirement_pins() -> dict[str, str]:
    return pins((PROJECT.root / "requirements.txt").read_text(encoding="utf-8").splitlines())


def environment_pins() -> tuple[dict[str, str], dict]:
    import yaml

    env = yaml.safe_load((PROJECT.root / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return pins(pip), {"conda": conda, "channels": env.get("channels", [])}


def render() -> str:
    lines = [
        "# Conda / Binder environment of the book. Generated from requirements.txt by",
        "# `make lock`; a test checks that both list the same packages and versions.",
        "name: kziran-book",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON}",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {name}=={version}" for name, version in sorted(requirement_pins().items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ArgumentParser(prog="make lock", description=__doc__.splitlines()[0]).parse_args(argv)
    (PROJECT.root / "environment.yml").write_text(render(), encoding="utf-8")
    print("environment.yml written from requirements.txt")
    return 0


if __name__ == "__main__":
    sys.exit(run(main, prog="make lock"))

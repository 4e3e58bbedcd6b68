"""The pinned environment: pip pins and environment.yml must describe the same packages."""

from kziran.paths import PROJECT
from kziran.tooling import envfile


def test_environment_yml_matches_requirements():
    req = envfile.requirement_pins()
    env, rest = envfile.environment_pins()
    assert env == req, {
        "only in requirements.txt": sorted(set(req) - set(env)),
        "only in environment.yml": sorted(set(env) - set(req)),
        "different versions": sorted(k for k in set(req) & set(env) if req[k] != env[k]),
    }
    assert f"python={envfile.PYTHON}" in rest["conda"]


def test_every_direct_dependency_is_pinned():
    req = envfile.requirement_pins()
    direct = []
    for line in (PROJECT.root / "requirements.in").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            direct.append(line.split("==")[0].lower())
    missing = [d for d in direct if d not in req]
    assert not missing, f"direct dependencies without a pin: {missing}"


def test_jupyter_book_is_1x():
    version = envfile.requirement_pins()["jupyter-book"]
    assert version.split(".")[0] == "1", version


def test_pins_are_exact():
    # A range or an unpinned line would make builds drift; pins() rejects them.
    text = (PROJECT.root / "requirements.txt").read_text().splitlines()
    try:
        envfile.pins(text + ["pandas>=2"])
    except ValueError:
        pass
    else:
        raise AssertionError("pins() accepted a range")

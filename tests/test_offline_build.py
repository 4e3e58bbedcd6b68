"""Offline proof: with the network cut (a network namespace holding only loopback), a
notebook executes, the whole book builds strictly, and nbval passes."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import PY, ROOT


def _namespaces_permitted() -> str | None:
    if not shutil.which("unshare") or not shutil.which("ip"):
        return "unshare or ip (util-linux, iproute2) is not installed"
    probe = subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up"],
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return f"this machine does not permit network namespaces: {probe.stderr.strip()}"
    return None


def test_build_and_nbval_pass_without_network(project_copy):
    why = _namespaces_permitted()
    if why:
        pytest.skip(f"offline proof skipped: {why}")
    d = project_copy
    cache = ROOT / "_build" / ".jupyter_cache"
    if cache.exists():
        shutil.copytree(cache, d / "_build" / ".jupyter_cache")
    bin_dir = os.path.dirname(PY)
    script = " && ".join([
        "ip link set lo up",
        # The network really is gone (only loopback):
        f"! {PY} -c \"import socket; socket.create_connection(('pypi.org', 443), timeout=3)\"",
        f"{PY} -m kziran execute --force 02_methods",
        (f"{bin_dir}/jupyter-book build . --builder html --all --warningiserror --nitpick "
         "--keep-going --quiet"),
        (f"{PY} -m pytest --nbval notebooks/03_discussion.ipynb -q -p no:cacheprovider "
         "--nbval-sanitize-with tests/nbval_sanitize.cfg"),
    ])
    env = dict(os.environ, PYTHONPATH=str(d))
    result = subprocess.run(["unshare", "-n", "sh", "-c", script], cwd=d, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (d / "_build" / "html" / "notebooks" / "04_results.html").exists()

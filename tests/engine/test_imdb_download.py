"""Downloading the archive with progress, cancel and resume, against a local HTTP server on
127.0.0.1 (no internet): a tiny handler that honours Range, or ignores it, or fails."""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import threading
from pathlib import Path

import pytest

from hafiza.engine.data import imdb


class _Handler(http.server.BaseHTTPRequestHandler):
    payload = b""
    honour_range = True
    wrong_start = False  # answers a Range request with another part
    requests: list = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).requests.append((self.path, self.headers.get("Range")))
        if self.path == "/missing":
            self.send_error(404)
            return
        data = type(self).payload
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if match and type(self).honour_range:
            start = 0 if type(self).wrong_start else int(match.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            body = data[start:]
        else:
            self.send_response(200)
            body = data
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server():
    handler = type("Handler", (_Handler,), {"payload": os.urandom(50_000), "requests": [],
                                            "honour_range": True})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{httpd.server_address[1]}/aclImdb_v1.tar.gz"
    yield handler
    httpd.shutdown()
    httpd.server_close()


def _cancel_after(n_calls: int):
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > n_calls
    return cancelled


def test_download_with_progress_and_checksum(server, tmp_path):
    seen = []
    target = tmp_path / "dl" / imdb.ARCHIVE_NAME
    md5 = hashlib.md5(server.payload).hexdigest()
    path = imdb.download_archive(target, server.url, progress=lambda d, t: seen.append((d, t)),
                                 expected_md5=md5, chunk_size=4096)
    assert path.read_bytes() == server.payload
    assert seen[0] == (0, 50_000) and seen[-1] == (50_000, 50_000)
    assert not target.with_name(target.name + ".part").exists()
    assert server.requests == [("/aclImdb_v1.tar.gz", None)]


def test_cancel_then_resume_with_range(server, tmp_path):
    target = tmp_path / imdb.ARCHIVE_NAME
    with pytest.raises(imdb.ImdbCancelled):
        imdb.download_archive(target, server.url, cancelled=_cancel_after(3), chunk_size=4096)
    part = target.with_name(target.name + ".part")
    assert part.stat().st_size == 3 * 4096 and not target.exists()
    assert imdb.partial_download(target) == 3 * 4096
    seen = []
    imdb.download_archive(target, server.url, chunk_size=4096,
                          progress=lambda d, t: seen.append((d, t)))
    assert target.read_bytes() == server.payload
    assert server.requests[-1][1] == f"bytes={3 * 4096}-"
    assert seen[0] == (3 * 4096, 50_000)  # progress starts where the first try stopped
    assert imdb.partial_download(target) == 0


def test_server_ignoring_range_starts_again(server, tmp_path):
    server.honour_range = False
    target = tmp_path / imdb.ARCHIVE_NAME
    target.with_name(target.name + ".part").write_bytes(b"stale bytes")
    imdb.download_archive(target, server.url, chunk_size=4096)
    assert target.read_bytes() == server.payload


def test_server_sending_another_part_is_not_appended(server, tmp_path):
    server.wrong_start = True
    target = tmp_path / imdb.ARCHIVE_NAME
    target.with_name(target.name + ".part").write_bytes(server.payload[:1000])
    with pytest.raises(imdb.ImdbError) as error:
        imdb.download_archive(target, server.url)
    assert error.value.reason == imdb.DOWNLOAD
    assert imdb.partial_download(target) == 0  # the next try starts afresh
    server.wrong_start = False
    imdb.download_archive(target, server.url)
    assert target.read_bytes() == server.payload


def test_complete_part_file_gets_416_and_restarts(server, tmp_path):
    target = tmp_path / imdb.ARCHIVE_NAME
    target.with_name(target.name + ".part").write_bytes(b"x" * 60_000)
    imdb.download_archive(target, server.url, chunk_size=8192)
    assert target.read_bytes() == server.payload


def test_wrong_checksum_deletes_the_download(server, tmp_path):
    target = tmp_path / imdb.ARCHIVE_NAME
    with pytest.raises(imdb.ImdbError) as error:
        imdb.download_archive(target, server.url, expected_md5="0" * 32)
    assert error.value.reason == imdb.DOWNLOAD
    assert not target.exists() and imdb.partial_download(target) == 0


def test_errors_and_refused_addresses(server, tmp_path):
    target = tmp_path / imdb.ARCHIVE_NAME
    with pytest.raises(imdb.ImdbError) as error:
        imdb.download_archive(target, server.url.rsplit("/", 1)[0] + "/missing")
    assert error.value.reason == imdb.DOWNLOAD and "404" in str(error.value)
    for url in ("file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)"):
        with pytest.raises(imdb.ImdbError):
            imdb.download_archive(target, url)
    with pytest.raises(imdb.ImdbError) as error:  # nothing listens on this port
        imdb.download_archive(target, "http://127.0.0.1:9/x.tar.gz", timeout=2)
    assert error.value.reason == imdb.DOWNLOAD


def test_downloaded_archive_imports(server, tmp_path):
    from test_imdb_import import make_archive

    archive = make_archive(tmp_path / "built.tar.gz")
    server.payload = archive.read_bytes()
    target = tmp_path / "dl" / imdb.ARCHIVE_NAME
    with pytest.raises(imdb.ImdbCancelled):
        imdb.download_archive(target, server.url, cancelled=_cancel_after(1), chunk_size=256)
    imdb.download_archive(target, server.url, chunk_size=256)
    report = imdb.import_imdb(target, cache_dir=tmp_path / "cache")
    assert (report.n_train, report.n_test) == (6, 4)
    assert Path(imdb.read_manifest(tmp_path / "cache")["source"]["path"]) == target.resolve()

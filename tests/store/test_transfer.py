"""Export and import: a round trip, merge or replace, and hostile files refused whole."""

import hashlib
import json
import stat
import struct
import zipfile

import pytest

from hafiza.safezip import Limits
from hafiza.store import TransferError, cli, errors, open_store, transfer


def _fill(store):
    store.prefs.set("language", "fa")
    store.prefs.set("theme", "dark")
    store.prefs.set_window_state("geometry", b"\x01\x02")
    store.progress.lesson_opened("sequences-rnn")
    store.progress.set_position("sequences-rnn", 0.6)
    store.progress.mark_completed("neurons-activations")
    store.progress.record_answer("sequences-rnn", "q1", {"choice": 3}, True)
    store.progress.record_answer("sequences-rnn", "q2", "متن", False)
    run = store.runs.create("xor-mlp", {"epochs": 2, "lr": 0.1}, "how-networks-learn")
    store.runs.append_points(run.id, [{"step": 1, "epoch": 1, "loss": 0.8, "accuracy": 0.5},
                                      {"step": 2, "epoch": 2, "loss": 0.4}])
    store.runs.finish(run.id, "finished", {"loss": 0.4})
    return run




def _with_model(store, run):
    torch = pytest.importorskip("torch")
    from hafiza.engine.checkpoints import save_checkpoint
    from hafiza.engine.models import build_model

    torch.manual_seed(0)
    model = build_model(["Dense(2, tanh)", "Dense(1, sigmoid)"], (2,))
    path = store.runs.model_path(run)
    save_checkpoint(path, model)
    store.runs.finish(run.id, "finished", {"loss": 0.4}, checkpoint=path)
    return path


def test_round_trip_to_another_computer(home_store, tmp_path):
    run = _fill(home_store)
    model = _with_model(home_store, run)
    target = tmp_path / "progress.zip"
    summary = transfer.export_progress(home_store, target)
    assert (summary.lessons, summary.answers, summary.runs, summary.models) == (2, 2, 1, 1)
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", f"models/{run.uid}.pt",
                                              "progress.json"]
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "hafiza-progress" and manifest["version"] == 1

    other = open_store(tmp_path / "other" / "progress.db")
    result = transfer.import_progress(other, target, "merge")
    assert (result.lessons, result.answers, result.runs, result.models) == (2, 2, 1, 1)
    assert transfer.collect(other) == transfer.collect(home_store)
    assert other.prefs.window_state("geometry") is None  # geometry stays on its screen
    moved = other.runs.list("xor-mlp")[0]
    assert moved.checkpoint.read_bytes() == model.read_bytes()
    assert moved.checkpoint.parent == tmp_path / "other" / "models"
    assert other.runs.curves(moved.id) == home_store.runs.curves(run.id)
    # importing the same file again adds nothing
    again = transfer.import_progress(other, target, "merge")
    assert (again.answers, again.runs, again.skipped_runs) == (0, 0, 1)
    other.close()


def test_merge_keeps_local_progress_and_replace_takes_a_backup(home_store, tmp_path):
    _fill(home_store)
    target = tmp_path / "progress.zip"
    transfer.export_progress(home_store, target)
    other = open_store(tmp_path / "other" / "progress.db")
    other.prefs.set("language", "ary")
    other.progress.record_answer("language-models", "q9", 1, True)
    other.progress.set_position("sequences-rnn", 0.9)  # later than the export's 0.6

    transfer.import_progress(other, target, "merge")
    assert other.prefs.get("language") == "ary"  # local settings win in a merge
    assert other.progress.position("sequences-rnn") == pytest.approx(0.9)
    assert other.progress.score("language-models").answered == 1
    assert other.progress.score("sequences-rnn").answered == 2

    result = transfer.import_progress(other, target, "replace")
    assert result.backup is not None and result.backup.exists()
    # beside the database it backs up, wherever that lives (not the default data folder)
    assert result.backup.parent == tmp_path / "other" / "backups"
    assert result.backup.name.startswith("progress-import-")
    assert other.prefs.get("language") == "fa"
    assert other.progress.score("language-models").answered == 0
    assert other.progress.position("sequences-rnn") == pytest.approx(0.6)
    other.close()


def _export_with(tmp_path, home_store, change=None, extra=None, name="bad.zip"):
    """A valid export, then `change(data)` applied and checksums made to match."""
    _fill(home_store)
    good = tmp_path / "good.zip"
    transfer.export_progress(home_store, good)
    with zipfile.ZipFile(good) as archive:
        data = json.loads(archive.read("progress.json"))
    if change:
        change(data)
    body = json.dumps(data).encode()
    files = {"progress.json": {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}}
    for member, content in (extra or {}).items():
        files[member] = {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    manifest = {"format": "hafiza-progress", "version": 1, "created_at": "x", "files": files}
    bad = tmp_path / name
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("progress.json", body)
        for member, content in (extra or {}).items():
            archive.writestr(member, content)
    return bad


def _refused(store, path, reason):
    before = transfer.collect(store)
    with pytest.raises(TransferError) as caught:
        transfer.import_progress(store, path, "replace")
    assert caught.value.reason == reason, caught.value.detail
    assert transfer.collect(store) == before  # nothing written
    return caught.value


@pytest.mark.parametrize("change, fragment", [
    (lambda d: d["settings"].update(language="klingon"), "settings.language"),
    (lambda d: d["settings"].update(shell="rm -rf /"), "unknown setting"),
    (lambda d: d["lessons"][0].update(position=2.5), "outside 0..1"),
    (lambda d: d["lessons"][0].update(open_count="many"), "open_count"),
    (lambda d: d["lessons"][0].update(extra_field=1), "fields"),
    (lambda d: d["quiz_answers"][0].update(answered_at="yesterday"), "timestamp"),
    (lambda d: d["quiz_answers"][0].update(correct="yes"), "correct"),
    (lambda d: d["runs"][0].update(uid="../../etc/passwd"), "uid"),
    (lambda d: d["runs"][0].update(model="/etc/passwd"), "model"),
    (lambda d: d["runs"][0]["points"].append(["loss", 1, 1, 0.1]), "repeated"),
    (lambda d: d["runs"][0]["points"].append(["loss", 9, 1, "NaN"]), "finite"),
    (lambda d: d.update(runs="all of them"), "runs"),
])
def test_invalid_records_are_refused_before_anything_is_written(home_store, tmp_path,
                                                                 change, fragment):
    bad = _export_with(tmp_path, home_store, change)
    error = _refused(home_store, bad, errors.INVALID)
    assert fragment in error.detail


def test_hostile_archives_are_refused(home_store, tmp_path):
    _fill(home_store)
    good = tmp_path / "good.zip"
    transfer.export_progress(home_store, good)

    def variant(name, add):
        path = tmp_path / name
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as archive:
            for info in source.infolist():
                archive.writestr(info, source.read(info))
            add(archive)
        return path

    traversal = variant("traversal.zip", lambda a: a.writestr("../../outside.txt", "x"))
    _refused(home_store, traversal, errors.UNSAFE_ARCHIVE)
    assert not (tmp_path.parent / "outside.txt").exists()
    absolute = variant("absolute.zip", lambda a: a.writestr("/tmp/abs.txt", "x"))
    _refused(home_store, absolute, errors.UNSAFE_ARCHIVE)

    def add_link(archive):
        info = zipfile.ZipInfo("models/" + "a" * 32 + ".pt")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")

    _refused(home_store, variant("link.zip", add_link), errors.UNSAFE_ARCHIVE)
    _refused(home_store, variant("script.zip", lambda a: a.writestr("run.py", "print(1)")),
             errors.UNSAFE_ARCHIVE)

    # checksums
    with zipfile.ZipFile(good) as source:
        manifest = source.read("manifest.json")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as archive:
        archive.writestr("manifest.json", manifest)
        archive.writestr("progress.json", b'{"settings": {}, "lessons": [], '
                                          b'"quiz_answers": [], "runs": []}')
    _refused(home_store, tampered, errors.INVALID)

    not_zip = tmp_path / "notes.txt"
    not_zip.write_text("hello")
    _refused(home_store, not_zip, errors.NOT_AN_EXPORT)
    future = tmp_path / "future.zip"
    with zipfile.ZipFile(future, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "hafiza-progress",
                                                      "version": 7, "files": {}}))
    _refused(home_store, future, errors.UNSUPPORTED_VERSION)


def _shrink_declared_size(path, name: bytes, size: int) -> None:
    """Makes member `name` claim `size` bytes, in its local header and the central directory."""
    raw = bytearray(path.read_bytes())
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        name_at = 30 if signature == b"PK\x03\x04" else 46
        start = raw.find(signature)
        while raw[start + name_at: start + name_at + len(name)] != name:
            start = raw.find(signature, start + 1)
        struct.pack_into("<I", raw, start + size_at, size)
    path.write_bytes(bytes(raw))


def test_archive_limits_and_lying_sizes_are_refused(home_store, tmp_path, monkeypatch):
    _fill(home_store)
    good = tmp_path / "good.zip"
    transfer.export_progress(home_store, good)
    with monkeypatch.context() as patched:
        patched.setattr(transfer, "EXPORT_LIMITS", Limits(max_members=1))
        assert "holds 2 files" in _refused(home_store, good, errors.TOO_LARGE).detail
    with monkeypatch.context() as patched:
        patched.setattr(transfer, "EXPORT_LIMITS", Limits(max_member_bytes=64))
        assert "is larger than 64 bytes" in _refused(home_store, good, errors.TOO_LARGE).detail
    liar = tmp_path / "liar.zip"
    liar.write_bytes(good.read_bytes())
    _shrink_declared_size(liar, b"progress.json", 10)
    assert "cannot read 'progress.json'" in \
        _refused(home_store, liar, errors.UNSAFE_ARCHIVE).detail
    transfer.import_progress(home_store, good, "merge")  # the honest file still imports


class _Evil:
    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_an_export_carrying_a_pickled_model_is_refused(home_store, tmp_path, hafiza_home):
    torch = pytest.importorskip("torch")
    import io

    marker = tmp_path / "pwned"
    buffer = io.BytesIO()
    torch.save({"format": "hafiza-checkpoint", "version": 1, "payload": _Evil(marker)}, buffer)
    uid = "b" * 32

    def add_run(data):
        run = dict(data["runs"][0], uid=uid, model=f"models/{uid}.pt")
        data["runs"].append(run)

    bad = _export_with(tmp_path, home_store, add_run, {f"models/{uid}.pt": buffer.getvalue()})
    _refused(home_store, bad, errors.UNSAFE_CHECKPOINT)
    assert not marker.exists()
    assert not (hafiza_home / "data" / "models" / f"{uid}.pt").exists()
    assert not list((hafiza_home / "data").glob("import-*"))  # staging cleaned up


def test_command_line_export_import_and_check(home_store, tmp_path, capsys, monkeypatch):
    _fill(home_store)
    target = tmp_path / "out.zip"
    assert cli.main(["progress", "export", str(target), "--no-models"]) == 0
    assert "exported 2 lessons" in capsys.readouterr().out
    monkeypatch.setenv("HAFIZA_HOME", str(tmp_path / "second"))
    assert cli.main(["import", str(target)]) == 0
    assert "imported (merge)" in capsys.readouterr().out
    assert cli.main(["import", str(target), "--replace"]) == 0
    assert "backup" in capsys.readouterr().out
    assert cli.main(["check"]) == 0
    assert "integrity ok" in capsys.readouterr().out
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04garbage")
    assert cli.main(["import", str(bad)]) == 1
    assert "import failed" in capsys.readouterr().err

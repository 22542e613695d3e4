"""The learner's own texts in a progress export (issue 17, item 3): carried with the runs
that trained on them, restored on another computer so those runs read their text again,
left out when the learner says so, and refused when they are not what the app wrote."""

import hashlib
import json
import zipfile

import pytest

from hafiza.engine.data.text_files import own_text_name, with_text_file
from hafiza.store import TransferError, errors, open_store, transfer, transfer_texts

DARIJA = "كنتعلمو الذكاء الاصطناعي بالدارجة. النموذج كيتوقع الكلمة الجاية.\n" * 30
PERSIAN = "حافظ می‌گوید: الا یا ایها الساقی ادر کاسا و ناولها.\n" * 30
LESSON_MODEL = {"task": "language_model", "dataset": {"name": "lessons", "variety": "ary",
                                                      "num_words": 500, "unit": "word"}}


def own_text_run(store, text, exercise_id="lm_lessons"):
    """A run that trained on `text`, saved as *Use my own text…* saves it."""
    folder = transfer_texts.texts_folder(store.runs)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / own_text_name(text)).write_text(text, encoding="utf-8")
    settings = with_text_file(LESSON_MODEL, own_text_name(text))
    run = store.runs.create(exercise_id, settings, "language-models")
    store.runs.finish(run.id, "finished", {"loss": 3.0})
    return run




@pytest.fixture
def fresh_store(tmp_path):
    store = open_store(tmp_path / "other" / "progress.db")
    yield store
    store.close()


def test_own_texts_lists_each_text_once_with_its_runs_size_and_beginning(home_store):
    own_text_run(home_store, DARIJA)
    own_text_run(home_store, DARIJA)
    own_text_run(home_store, PERSIAN)
    home_store.runs.create("xor-mlp", {"epochs": 2}, "how-networks-learn")  # no text
    texts = {text.name: text for text in transfer_texts.own_texts(home_store)}
    assert set(texts) == {own_text_name(DARIJA), own_text_name(PERSIAN)}
    darija = texts[own_text_name(DARIJA)]
    assert darija.runs == 2 and darija.size == len(DARIJA.encode("utf-8"))
    # whole words, then "…": the learner recognises the text without reading it all
    assert darija.beginning == "كنتعلمو الذكاء الاصطناعي بالدارجة. النموذج كيتوقع الكلمة…"
    assert texts[own_text_name(PERSIAN)].beginning.startswith("حافظ می‌گوید")  # ZWNJ kept


def test_a_run_on_an_own_text_reloads_its_text_on_a_fresh_computer(home_store, fresh_store,
                                                                   tmp_path):
    from hafiza.engine.exercises import load_data
    from hafiza.engine.text import tokenize
    from hafiza.ui.run_history import own_texts_folder, run_data_root

    own_text_run(home_store, DARIJA)
    target = tmp_path / "mine.hafiza-progress"
    summary = transfer.export_progress(home_store, target)
    assert summary.texts == 1
    with zipfile.ZipFile(target) as archive:
        assert f"texts/{own_text_name(DARIJA)}" in archive.namelist()
        assert archive.read(f"texts/{own_text_name(DARIJA)}").decode("utf-8") == DARIJA
        assert json.loads(archive.read("manifest.json"))["version"] == 2

    assert not transfer_texts.texts_folder(fresh_store.runs).exists()
    result = transfer.import_progress(fresh_store, target, "merge")
    assert (result.runs, result.texts) == (1, 1)
    # the store puts it where the exercise window looks for it
    assert transfer_texts.texts_folder(fresh_store.runs) == own_texts_folder(fresh_store.runs)
    run = fresh_store.runs.list("lm_lessons")[0]
    root = run_data_root(run.settings, None, fresh_store.runs)
    assert (root / own_text_name(DARIJA)).read_text("utf-8") == DARIJA
    data, _vocab = load_data(run.settings, data_root=root)  # what Earlier runs reads
    assert tokenize("كيتوقع")[0] in data.vocab

    again = transfer.import_progress(fresh_store, target, "merge")
    assert (again.runs, again.texts) == (0, 0)  # the same text is kept once


def test_texts_left_out_stay_on_this_computer(home_store, fresh_store, tmp_path):
    own_text_run(home_store, DARIJA)
    target = tmp_path / "without-texts.hafiza-progress"
    summary = transfer.export_progress(home_store, target, include_texts=False)
    assert summary.texts == 0
    with zipfile.ZipFile(target) as archive:
        assert not [name for name in archive.namelist() if name.startswith("texts/")]
        assert DARIJA.split()[0].encode("utf-8") not in archive.read("progress.json")
        # an older Hafiza reads a file without texts, as before
        assert json.loads(archive.read("manifest.json"))["version"] == 1
    result = transfer.import_progress(fresh_store, target, "merge")
    assert (result.runs, result.texts) == (1, 0)
    assert not transfer_texts.texts_folder(fresh_store.runs).exists()


def _rewritten(source, target, change):
    """The export `source` with its members changed by `change(members)` (a dict of name to
    bytes), the manifest's checksums made to match, so only the text checks can refuse it."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()
                   if name != "manifest.json"}
    change(members)
    files = {name: {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
             for name, body in members.items()}
    manifest = {"format": "hafiza-progress", "version": 2, "created_at": "x", "files": files}
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, body in members.items():
            archive.writestr(name, body)
    return target


def _swap_text(members, body):
    name = f"texts/{own_text_name(DARIJA)}"
    members[name] = body


@pytest.mark.parametrize("change, reason, fragment", [
    # another content under the text's name (it would pass for the learner's text)
    (lambda m: _swap_text(m, PERSIAN.encode("utf-8")), errors.INVALID, "does not match"),
    (lambda m: _swap_text(m, b"\x00\x01binary"), errors.INVALID, "not text"),
    (lambda m: _swap_text(m, "كلام".encode("cp1256")), errors.INVALID, "not UTF-8"),
    # a text no run names
    (lambda m: m.update({f"texts/{own_text_name(PERSIAN)}": PERSIAN.encode("utf-8")}),
     errors.INVALID, "no run trained on"),
    # names outside the texts folder or not the app's
    (lambda m: m.update({"texts/../../evil.txt": b"x"}), errors.UNSAFE_ARCHIVE, ""),
    (lambda m: m.update({"texts/notes.txt": b"x"}), errors.UNSAFE_ARCHIVE, ""),
])
def test_texts_the_app_did_not_write_are_refused_before_anything_is_written(
        home_store, fresh_store, tmp_path, change, reason, fragment):
    own_text_run(home_store, DARIJA)
    good = tmp_path / "good.hafiza-progress"
    transfer.export_progress(home_store, good)
    bad = _rewritten(good, tmp_path / "bad.hafiza-progress", change)
    with pytest.raises(TransferError) as caught:
        transfer.import_progress(fresh_store, bad, "merge")
    assert caught.value.reason == reason, caught.value.detail
    assert fragment in caught.value.detail
    assert fresh_store.runs.list() == []
    folder = transfer_texts.texts_folder(fresh_store.runs)
    assert not folder.exists() or not list(folder.iterdir())
    assert not (tmp_path / "evil.txt").exists()


def test_more_texts_than_an_import_may_hold_are_refused(home_store, fresh_store, tmp_path,
                                                        monkeypatch):
    own_text_run(home_store, DARIJA)
    own_text_run(home_store, PERSIAN)
    target = tmp_path / "two.hafiza-progress"
    transfer.export_progress(home_store, target)
    monkeypatch.setattr(transfer, "MAX_IMPORT_TEXTS", 1)
    with pytest.raises(errors.LimitExceeded) as caught:
        transfer.import_progress(fresh_store, target, "merge")
    assert (caught.value.what, caught.value.limit, caught.value.found) == ("texts", 1, 2)
    assert fresh_store.runs.list() == []


def test_a_failed_import_takes_back_the_texts_it_placed(home_store, fresh_store, tmp_path,
                                                        monkeypatch):
    own_text_run(home_store, DARIJA)
    home_store.progress.lesson_opened("language-models")
    target = tmp_path / "mine.hafiza-progress"
    transfer.export_progress(home_store, target)

    def broken(*args):  # the lessons are written after the texts are placed
        raise OSError("disk full")

    monkeypatch.setattr(transfer, "_merge_lesson", broken)
    with pytest.raises(OSError):
        transfer.import_progress(fresh_store, target, "merge")
    assert not (transfer_texts.texts_folder(fresh_store.runs) / own_text_name(DARIJA)).exists()
    assert fresh_store.runs.list() == []


def test_the_command_line_says_the_export_holds_texts_and_can_leave_them_out(
        home_store, tmp_path, capsys):
    from hafiza.store import cli

    own_text_run(home_store, DARIJA)
    with_texts, without = tmp_path / "with.zip", tmp_path / "without.zip"
    assert cli.main(["progress", "export", str(with_texts)]) == 0
    assert "contains 1 of the learner's own texts" in capsys.readouterr().out
    assert cli.main(["progress", "export", str(without), "--no-texts"]) == 0
    assert "own texts" not in capsys.readouterr().out
    with zipfile.ZipFile(without) as archive:
        assert not [name for name in archive.namelist() if name.startswith("texts/")]

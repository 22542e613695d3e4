"""The app over a progress file that is hostile, damaged, read-only or full: the learner keeps
their history, is told once in their language what happened, and can go back to a backup."""

import sqlite3

import pytest
from PySide6.QtCore import QObject, Signal

from hafiza.store import errors, open_store
from hafiza.ui import i18n, leftovers
from hafiza.ui.app import Hafiza
from hafiza.ui.settings import Settings

WIPE = ("CREATE TRIGGER wipe AFTER INSERT ON quiz_answers "
        "BEGIN DELETE FROM lessons; DELETE FROM runs; END")


@pytest.fixture
def make_app(qapp, qtbot, hafiza_home):
    made = []

    def make(language="en"):
        hafiza = Hafiza(qapp, Settings())
        window = hafiza.create_window(language)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append((hafiza, window))
        return hafiza, window

    yield make
    for hafiza, window in made:
        hafiza.shutdown()
        window.close()
        hafiza.store.close()
    i18n.apply_language(qapp, "en")


def _history(hafiza_home, answers=3, answer="a"):
    store = open_store(hafiza_home / "data" / "progress.db")
    store.progress.lesson_opened("sequences-rnn")
    store.progress.lesson_opened("language-models")
    for i in range(answers):
        store.progress.record_answer("sequences-rnn", f"q{i}", answer, True)
    store.runs.create("mlp_xor", {})
    store.close()
    return hafiza_home / "data" / "progress.db"


def test_a_copied_file_with_a_trigger_is_cleaned_and_the_learner_told_once(
        make_app, qtbot, hafiza_home):
    path = _history(hafiza_home)
    conn = sqlite3.connect(path)
    conn.execute(WIPE)
    conn.commit()
    conn.close()
    hafiza, window = make_app("fa")
    qtbot.waitUntil(lambda: hafiza.store_notice is not None)
    assert hafiza.store_notice.windowTitle() == "پروندهٔ پیشرفت پاک‌سازی شد"
    assert "خودبه‌خود اجرا" in hafiza.store_notice.text()
    hafiza._remember_answer("sequences-rnn", "q9", "b", True)  # answering a quiz
    assert len(hafiza.progress.lessons()) == 2 and len(hafiza.store.runs.list()) == 1
    hafiza.store_notice = None
    hafiza._announce_store()
    assert hafiza.store_notice is None  # once


def test_a_damaged_file_says_what_was_rescued_in_the_learners_language(
        make_app, qtbot, hafiza_home):
    path = _history(hafiza_home, answers=300, answer="x" * 200)
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)
    hafiza, window = make_app("arz")
    qtbot.waitUntil(lambda: hafiza.store_notice is not None)
    recovery = hafiza.store.db.recovery
    text = hafiza.store_notice.text()
    assert "حافظة لحقت اللي لسه بيتقري" in text
    assert recovery.answers > 0
    assert f"الدروس: {i18n.number(recovery.lessons)}" in text
    assert f"إجابات الأسئلة: {i18n.number(recovery.answers)}" in text


def test_a_read_only_disk_shows_the_history_and_saves_it_later(make_app, qtbot, hafiza_home,
                                                               read_only_writes):
    path = _history(hafiza_home)
    read_only_writes.refuse()
    hafiza, window = make_app("ary")
    qtbot.waitUntil(lambda: hafiza.store_notice is not None)
    assert hafiza.store.db.holding
    assert hafiza.store_label.text() == "التقدّم ديالك ما كيتسجّلش: الدوسي غير للقراءة"
    assert "التقدّم ديالك اللي فات باين" in hafiza.store_notice.text()
    assert {lesson.lesson_id for lesson in hafiza.progress.lessons()} == {
        "sequences-rnn", "language-models"}  # not 0 lessons: the history is there
    hafiza._remember_answer("sequences-rnn", "later", "c", False)
    hafiza.store.db.write_back_every_s = 0
    read_only_writes.allow()  # the disk is writable again
    hafiza._remember_position("sequences-rnn", 0.3)
    assert hafiza.store_problem is None and not hafiza.store_label.isVisible()
    assert window.statusBar().currentMessage() == "التقدّم ديالك رجع كيتسجّل."
    again = open_store(path)
    assert "later" in {a.quiz_id for a in again.progress.answers("sequences-rnn")}
    assert again.progress.position("sequences-rnn") == 0.3
    again.close()


def test_a_full_disk_keeps_the_answers_given_after_it_filled(make_app, qtbot, hafiza_home):
    _history(hafiza_home, answers=0)
    hafiza, window = make_app("fa")
    conn = hafiza.store.db.conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    for i in range(40):
        hafiza._remember_answer("sequences-rnn", f"q{i}", "x" * 2000, True)
    assert hafiza.store_problem.reason == errors.DISK_FULL
    assert hafiza.store_label.text() == "پیشرفت شما ذخیره نمی‌شود: دیسک پر است"
    assert len(hafiza.progress.answers("sequences-rnn")) == 40  # none lost


def test_restore_from_backup_in_the_file_menu(make_app, qtbot, hafiza_home):
    from hafiza.store import backups

    _history(hafiza_home)
    hafiza, window = make_app("en")
    assert list((hafiza_home / "data" / "backups").glob("progress-auto-*.db"))  # at start
    hafiza._remember_lesson("neurons-activations")
    assert len(hafiza.progress.lessons()) == 3
    window.restore_backup_action.trigger()
    dialog = hafiza.backup_dialog
    assert dialog.isVisible() and dialog.list.count() == 1
    assert "Lessons: 2 · Quiz answers: 3 · Training runs: 1" in dialog.list.item(0).text()
    with qtbot.waitSignal(dialog.restored):
        dialog.restore_button.click()
    assert len(hafiza.progress.lessons()) == 2
    assert "Your progress is back as it was on" in dialog.report.text()
    kept = backups.list_backups(hafiza.store.db.path)
    assert any(info.lessons == 3 for info in kept)  # what was replaced is a backup too


def test_the_restore_dialog_without_backups_says_so(qapp, qtbot, tmp_path):
    from hafiza.store import memory_store
    from hafiza.ui.backup_dialog import BackupDialog

    i18n.apply_language(qapp, "arz")
    try:
        dialog = BackupDialog(memory_store())
        qtbot.addWidget(dialog)
        assert not dialog.restore_button.isEnabled()
        assert any("لسه مفيش ولا نسخة احتياطية" in label.text()
                   for label in dialog.findChildren(type(dialog.layout().itemAt(0).widget())))
    finally:
        i18n.apply_language(qapp, "en")


def test_an_import_over_a_limit_is_refused_naming_it(qapp):
    from hafiza.store.errors import LimitExceeded
    from hafiza.ui.progress_transfer import refusal_text

    i18n.apply_language(qapp, "fa")
    try:
        text = refusal_text(LimitExceeded("lessons", 10_000, 300_000))
    finally:
        i18n.apply_language(qapp, "en")
    assert "درس‌ها: حداکثر ۱۰٬۰۰۰" in text and "چیزی وارد نشد" in text


class _Engine(QObject):
    changed = Signal(str)
    state = "loading"


def test_leftovers_are_swept_at_start_and_checkpoints_once_the_engine_is_ready(
        qapp, monkeypatch):
    from hafiza.lessonlib import library

    calls = []
    monkeypatch.setattr(library, "sweep_staging", lambda: calls.append("packs") or 2)
    monkeypatch.setattr(leftovers, "sweep_own_texts", lambda: calls.append("texts") or 0)
    engine = _Engine()
    import hafiza.engine.checkpoints as checkpoints

    monkeypatch.setattr(checkpoints, "sweep_partial_files",
                        lambda: calls.append("checkpoints") or 3)
    leftovers.sweep_at_start(engine)
    assert calls == ["packs", "texts"]
    engine.changed.emit("ready")
    engine.changed.emit("ready")
    assert calls == ["packs", "texts", "checkpoints"]  # once


def test_half_saved_own_texts_are_swept_and_saved_ones_kept(hafiza_home):
    from hafiza.store.paths import data_dir

    texts = data_dir() / "texts"
    texts.mkdir(parents=True)
    (texts / "own-text-abc.partial").write_text("cut short", encoding="utf-8")
    kept = texts / "own-text-def.txt"
    kept.write_text("whole", encoding="utf-8")
    assert leftovers.sweep_own_texts() == 1
    assert [p.name for p in texts.iterdir()] == [kept.name]


def test_a_failing_sweep_does_not_stop_the_start(caplog):
    def broken():
        raise OSError("disk gone")

    assert leftovers.sweep(broken) is None
    assert "broken() failed" in caplog.text


def test_the_app_start_sweeps_before_the_window(monkeypatch, hafiza_home):
    """ui.app.run hands the engine to leftovers.sweep_at_start before create_window."""
    from hafiza.ui import app as app_module

    order = []
    monkeypatch.setattr(leftovers, "sweep_at_start", lambda engine: order.append("sweep"))

    def create_window(self, language, theme_name=None):
        order.append("window")
        raise SystemExit(0)

    monkeypatch.setattr(Hafiza, "create_window", create_window)
    monkeypatch.setattr(app_module.single_instance, "claim_data_folder",
                        lambda app, language: type("Lock", (), {"unlock": lambda s: None})())
    monkeypatch.setattr(app_module.CrashReporter, "install", lambda self: None)
    with pytest.raises(SystemExit):
        app_module.run(language="en")
    assert order == ["sweep", "window"]

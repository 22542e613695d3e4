"""A language switch reaches everything an open exercise window shows: labels, tab titles, the
digits of its spin boxes, the status line, the log already written, the plots' axes."""

import pytest

from hafiza.engine.exercises import get_exercise
from hafiza.ui import i18n
from hafiza.ui.exercise_window import ExerciseWindow

PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def persian(qapp):
    i18n.apply_language(qapp, "fa")
    yield
    i18n.apply_language(qapp, "en")


def test_a_trained_window_switched_from_persian_to_darija(qtbot, qapp, persian):
    exercise = get_exercise("mlp_xor")
    exercise["hyperparameters"]["epochs"] = 3
    window = ExerciseWindow("lesson", exercise)
    qtbot.addWidget(window)
    window.show()
    panel = window.panel
    with qtbot.waitSignal(panel.run_finished, timeout=60_000):
        panel.train()
    epochs_box = panel.controls.editors["epochs"][0]
    assert epochs_box.text() == "۳"
    persian_status = panel.status.text()
    assert persian_status in (
        i18n._("Finished; the goal is not reached yet: change a setting and train again."),
        i18n._("Goal reached!"))

    i18n.apply_language(qapp, "ary")
    window.retranslate()
    # Latin digits in every spin box, as Moroccan readers write them
    for editors in panel.controls.editors.values():
        for editor in editors:
            if hasattr(editor, "text") and hasattr(editor, "value"):
                assert not PERSIAN_DIGITS & set(editor.text()), editor.text()
    assert epochs_box.text() == "3"
    assert panel.controls.editors["learning_rate"][0].text() == "0,05000"
    # the status line says how the run ended, now in Darija
    assert panel.status.text() != persian_status
    assert panel.status.text() in (
        "سالا، ولكن مازال ما وصلتيش للهدف: بدّل شي إعداد وعاود درّب.",
        i18n._("Goal reached!"))
    assert window.tabs.tabText(0) == i18n._("Training")
    assert panel.tabs.tabText(1) == i18n._("Log")
    # the lines already in the log are written again, in Darija and Latin digits
    first_line = panel.log.toPlainText().splitlines()[0]
    assert first_line.startswith("الدورة 1 من 3 (") and not PERSIAN_DIGITS & set(first_line)
    # the axes: Darija labels, isolated so "(loss)" keeps its place in the LTR plot
    label = panel.loss_plot.getAxis("left").labelText
    assert label == "\u2068الخسارة (loss)\u2069"
    assert panel.controls.labels["learning_rate"].text() == i18n._("Learning rate")


def test_a_failure_message_follows_the_language(qtbot, qapp, persian):
    exercise = get_exercise("mlp_xor")
    window = ExerciseWindow("lesson", exercise)
    qtbot.addWidget(window)
    window.panel.run_controls.show_failure("nan_loss", "")
    persian = window.panel.error.text()
    i18n.apply_language(qapp, "en")
    window.retranslate()
    assert window.panel.error.text() != persian
    assert window.panel.error.text().startswith("The loss became NaN")

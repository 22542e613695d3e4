"""Exercise cards and forms name every setting in the learner's words (issue 20, item 10):
"Layer 1", "Momentum", "Text file", never `model.0`, `momentum` or `dataset.text_file`, in
each of the five varieties."""

from __future__ import annotations

import pytest

from hafiza.engine.exercises import DATASET_CHOICES, DATASET_PATHS, HYPERPARAMETERS
from hafiza.engine.tables import DATASET_LIMITS
from hafiza.varieties import TAGS

# Every name a lesson's `controls` may list, except model.N (a layer: its own words).
SETTINGS = [*HYPERPARAMETERS, "loss",
            *(f"dataset.{name}" for name in (*DATASET_LIMITS, *DATASET_CHOICES, "punctuation",
                                            *DATASET_PATHS.values(), "text_file"))]
EXERCISE = {"id": "own-text", "task": "language_model",
            "dataset": {"name": "text_file", "path": "data/corpus.txt"},
            "model": ["Embedding(vocab_size, 8)", "LSTM(8, return_sequences=True)",
                      "Dense(vocab_size)"],
            "controls": ["model.0", "model.1", "momentum", "dataset.text_file",
                         "dataset.punctuation"]}


@pytest.fixture
def in_variety(qapp):
    from hafiza.ui import i18n

    def switch(tag: str) -> None:
        i18n.apply_language(qapp, tag)
    yield switch
    i18n.apply_language(qapp, "en")


@pytest.mark.parametrize("tag", TAGS)
def test_every_setting_has_a_label_in_words_in_every_variety(in_variety, tag):
    from hafiza.ui.controls_form import CONTROL_LABELS, control_label

    in_variety(tag)
    labels = {name: control_label(EXERCISE, name) for name in SETTINGS}
    code = {name: label for name, label in labels.items() if "_" in label or "." in label}
    assert not code, f"settings shown as code in {tag}: {code}"
    if tag != "en":  # translated: no English left in a right-to-left page
        english = [name for name in SETTINGS if labels[name] == CONTROL_LABELS[name]]
        assert not english, f"labels not translated into {tag}: {english}"


@pytest.mark.parametrize("tag, expected", [
    ("en", ["Size of each word's vector in layer 1", "Units of layer 2", "Momentum",
            "Text file", "Punctuation marks as words"]),
    ("fa", ["طول بردار هر واژه در لایهٔ ۱", "تعداد واحدهای لایهٔ ۲", "تکانه (momentum)",
            "فایل متنی", "هر نشانهٔ نگارشی یک واژه"]),
    ("ary", [None, None, "الزّخم (momentum)", "ملف ديال النص", "علامات الترقيم بحال الكلمات"]),
    ("arz", [None, None, "الـmomentum (الزخم)", "ملف النص", "علامات الترقيم كأنها كلمات"]),
    ("ar", [None, None, "الزَّخْم (momentum)", "ملف نصي", "علامات الترقيم كلماتٍ"]),
])
def test_the_exercise_card_lists_what_the_learner_may_change_in_words(qtbot, in_variety, tag,
                                                                      expected):
    from PySide6.QtCore import Qt

    from hafiza.ui.blocks.exercise import ExerciseCard
    from hafiza.ui.controls_form import control_label

    in_variety(tag)
    card = ExerciseCard("my-lesson", "own-text", EXERCISE, Qt.LayoutDirection.RightToLeft)
    qtbot.addWidget(card)
    shown = card.summary.toPlainText()
    labels = [control_label(EXERCISE, name) for name in EXERCISE["controls"]]
    for label, wanted in zip(labels, expected, strict=True):
        assert label in shown
        if wanted is not None:
            assert label == wanted
    for code in ("model.0", "model.1", "dataset.", "text_file", "punctuation"):
        assert code not in shown

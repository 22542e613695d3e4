"""The lesson checker speaks the instructor's language (issue 20, item 8), part C: what the
engine itself says of an exercise (engine/layers.py, models.py, exercises.py, refusals.py,
budget.py, batches.py, train.py, engine/data/*.py) reaches the checker whole, in Persian and
Darija, with no English half-sentence inside.

The expected words are those of the catalogs (locales/<tag>/LC_MESSAGES/hafiza.po).
"""

from pathlib import Path

import pytest

from hafiza import words
from hafiza.lessonlib import checker

# The translations as written for the merge (python -m hafiza.ui.catalogs merge FILE); on a
# machine without that file the comparison with it is skipped, the checks below stay.

LESSON_YAML = """\
id: birnn
order: 30
title:
  en: "Bidirectional RNNs"
  fa: "شبکه‌های بازگشتی دوسویه"
exercises:
  - id: own-text
    task: language_model
    dataset: {{name: text_file, path: data/corpus.txt}}
    model: ["Embedding(vocab_size, 8)", "{layer}", "Dense(vocab_size, softmax)"]
"""


@pytest.fixture
def speak():
    """Sets the messages' language for one test; English again afterwards."""
    saved = words.language()
    yield words.set_language
    words.set_language(saved)


def _lesson(tmp_path: Path, layer: str, corpus: str) -> Path:
    folder = tmp_path / "birnn"
    (folder / "data").mkdir(parents=True)
    (folder / "lesson.yaml").write_text(LESSON_YAML.format(layer=layer), encoding="utf-8")
    (folder / "data" / "corpus.txt").write_text(corpus, encoding="utf-8")
    (folder / "en.md").write_text("# Bidirectional RNNs\n\nText.\n", encoding="utf-8")
    (folder / "fa.md").write_text("# شبکه‌های بازگشتی دوسویه\n\nمتن.\n", encoding="utf-8")
    return folder


def _errors(folder: Path) -> list[str]:
    return [p.message for p in checker.check_lesson(folder) if p.severity == "error"]


def test_an_unknown_layer_type_in_persian_and_darija(speak, tmp_path):
    folder = _lesson(tmp_path, "LTSM(16, return_sequences=True)", "one two three. " * 50)
    speak("fa")
    [message] = _errors(folder)
    assert message.startswith("تمرین 'own-text': لایهٔ 2 ('LTSM(16, return_sequences=True)'): "
                              "نوع لایهٔ ناشناخته 'LTSM'؛ شناخته‌شده‌ها: Dense, SimpleRNN, ")
    assert message.endswith("(منظورتان LSTM است؟)")
    speak("ary")
    [message] = _errors(folder)
    assert "نوع ديال الطبقة ما معروفش 'LTSM'؛ المعروفين: Dense, SimpleRNN, " in message


def test_an_empty_text_is_said_whole_in_persian(speak, tmp_path):
    folder = _lesson(tmp_path, "LSTM(16, return_sequences=True)", "  \n")
    speak("fa")
    assert ("تمرین 'own-text': مجموعه‌داده خوانده نشد: مجموعه‌دادهٔ 'text_file': corpus.txt: "
            "هیچ متنی در آن نیست") in _errors(folder)

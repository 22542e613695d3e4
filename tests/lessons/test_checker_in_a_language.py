"""The lesson checker speaks the instructor's language (issue 20, item 8), part A: lesson.yaml
and YAML mistakes, the comparison of a lesson's varieties, packs, the library and the
`lessons` command line (lessonlib/schema*.py, yaml_errors.py, checker.py, variety_compare.py,
answer_positions.py, packs.py, library.py, versions.py, cli.py, ...).

Each case runs the real checker on a broken lesson in Persian or Darija and reads the words
the catalogs give (tests/ui/test_i18n.py checks that every message has a translation).
"""

from pathlib import Path

import pytest

from hafiza import words
from hafiza.lessonlib import checker
from hafiza.lessonlib.model import LessonError, Problem
from hafiza.lessonlib.schema import read_yaml
from hafiza.lessonlib.versions import change_words

LESSON_YAML = """\
id: {id}
order: 30
title:
  en: "Bidirectional RNNs"
  fa: "شبکه‌های بازگشتی دوسویه"
"""


@pytest.fixture
def speak():
    """Sets the messages' language for one test; English again afterwards."""
    saved = words.language()
    yield words.set_language
    words.set_language(saved)


def _lesson(tmp_path: Path, yaml_text: str, name: str = "birnn") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "lesson.yaml").write_text(yaml_text, encoding="utf-8")
    (folder / "en.md").write_text("# Bidirectional RNNs\n\nText.\n", encoding="utf-8")
    (folder / "fa.md").write_text("# شبکه‌های بازگشتی دوسویه\n\nمتن.\n", encoding="utf-8")
    return folder


def _messages(folder: Path) -> list[str]:
    """The checker's messages but the warning that ary, arz and ar have no text."""
    return [p.message for p in checker.check_lesson(folder, validate_exercises=False)
            if p.severity == "error"]


def test_a_misspelt_field_in_persian_and_darija(speak, tmp_path):
    folder = _lesson(tmp_path, LESSON_YAML.format(id="birnn") + "titel: x\n")
    known = "estimated_minutes, exercises, glossary, id, license"
    speak("fa")
    [message] = _messages(folder)
    assert message.startswith("فیلد ناشناخته 'titel': منظورتان 'title' بود؟ "
                              "(فیلدهای شناخته‌شده: ")
    assert known in message
    speak("ary")
    [message] = _messages(folder)
    assert message.startswith("حقل ما معروفش 'titel': واش كنتي باغي تكتب 'title'؟ "
                              "(الحقول المعروفة: ")


def test_an_id_that_is_not_the_folder_name(speak, tmp_path):
    folder = _lesson(tmp_path, LESSON_YAML.format(id="bi-rnn"))
    speak("fa")
    assert _messages(folder) == ["شناسهٔ id 'bi-rnn' با نام پوشه 'birnn' فرق دارد"]
    speak("ary")
    assert _messages(folder) == ["الـ id 'bi-rnn' ماشي بحال السمية ديال الدوسي 'birnn'"]


def test_a_yaml_mistake_is_said_in_the_language(speak):
    text = "id: birnn\ntitle:\n\ten: x\n"
    speak("fa")
    with pytest.raises(LessonError) as raised:
        read_yaml(text)
    assert raised.value.line == 3
    assert raised.value.message == ("YAML نامعتبر است: این سطر با tab تورفته است؛ YAML فقط با "
                                    "فاصله تورفتگی می‌پذیرد: به جای tab فاصله بگذارید")
    speak("ary")
    with pytest.raises(LessonError) as raised:
        read_yaml(text)
    assert raised.value.message == ("YAML ماشي صحيح: هاد السطر مزاح بـ tab؛ YAML كيزيح غير "
                                    "بالفراغات: بدّل الـ tab بفراغات")


def test_a_warning_is_marked_in_the_language(speak):
    problem = Problem("birnn/fa.md", 3, "x", "warning")
    speak("fa")
    assert str(problem) == "birnn/fa.md:3: هشدار: x"
    speak("ary")
    assert str(problem) == "birnn/fa.md:3: رد البال: x"
    speak("en")
    assert str(problem) == "birnn/fa.md:3: warning: x"


def test_versions_and_counts_in_the_language(speak):
    speak("fa")
    assert change_words("1.3", "1.2") == "نسخهٔ 1.2 را به 1.3 به‌روز می‌کند"
    assert words.ngettext("{n} error", "{n} errors", 3).format(n=3) == "3 خطا"
    speak("ary")
    assert change_words("1.3", "1.2") == "كيبدّل النسخة 1.2 بـ 1.3"
    assert words.ngettext("{n} error", "{n} errors", 2).format(n=2) == "جوج غلطات"
    assert words.ngettext("{n} warning", "{n} warnings", 11).format(n=11) == "11 تنبيه"


def test_english_stays_as_it_was(speak, tmp_path):
    folder = _lesson(tmp_path, LESSON_YAML.format(id="bi-rnn"))
    speak("en")
    assert _messages(folder) == ["id 'bi-rnn' differs from the folder name 'birnn'"]
    assert change_words("1.2", "1.3") == "older (1.2) than the installed 1.3"

"""The engine's own refusals speak the reader's language (issue 20, item 8, part C): layers,
models, exercises, the limits of settings, memory, data, TrainConfig and the data sets say
their messages through hafiza.words, in Persian and Darija here, while code that places a
problem reads the error's attributes, never its English words.

The expected words are those of the catalogs (locales/<tag>/LC_MESSAGES/hafiza.po).
"""

from __future__ import annotations

import pytest

from hafiza import words
from hafiza.engine.exercises import ExerciseError, validate_exercise
from hafiza.engine.layers import UNKNOWN_TYPE, ModelSpecError, parse_spec
from hafiza.engine.refusals import TOO_LARGE, coerce_number
from hafiza.engine.tables import SETTING_LIMITS

# msgid -> (fa, ary), as the catalogs translate them.
EXPECTED = {
    "unknown layer type {type}; known: {known}": (
        "نوع لایهٔ ناشناخته {type}؛ شناخته‌شده‌ها: {known}",
        "نوع ديال الطبقة ما معروفش {type}؛ المعروفين: {known}"),
    "{value} must be at most {maximum}": ("{value} باید حداکثر {maximum} باشد",
                                          "{value} خاصّو يكون على الأكثر {maximum}"),
    "{layer} {name} must be a whole number from 1 to {maximum}": (
        "{name} در {layer} باید عددی صحیح از 1 تا {maximum} باشد",
        "{name} ديال {layer} خاصّو يكون عدد صحيح من 1 حتى ل {maximum}"),
    "learning_rate must be positive": ("learning_rate باید مثبت باشد",
                                       "learning_rate خاصّو يكون موجب"),
    "there is no text in it": ("هیچ متنی در آن نیست", "ما فيه حتى نص"),
    "{x} samples are shaped {shape}, the model expects {expected}": (
        "شکل نمونه‌های {x} برابر {shape} است، ولی مدل {expected} می‌خواهد",
        "الأمثلة ديال {x} شكلها {shape}، والموديل كيتسنّى {expected}"),
}


@pytest.fixture
def speak():
    """Sets the messages' language for one test; English again afterwards."""
    saved = words.language()
    yield words.set_language
    words.set_language(saved)


@pytest.mark.parametrize("tag, column", [("fa", 0), ("ary", 1)])
def test_the_catalogs_hold_the_engine_words(speak, tag, column):
    speak(tag)
    for msgid, translations in EXPECTED.items():
        assert words._(msgid) == translations[column], (tag, msgid)


def test_an_unknown_layer_is_said_in_persian_and_keeps_what_code_reads(speak):
    speak("fa")
    with pytest.raises(ModelSpecError) as raised:
        parse_spec(["Embedding(100, 8)", "LTSM(16)"])
    assert str(raised.value) == ("لایهٔ 2 ('LTSM(16)'): نوع لایهٔ ناشناخته 'LTSM'؛ "
                                 "شناخته‌شده‌ها: " + ", ".join(_layer_names()))
    assert (raised.value.layer, raised.value.kind) == (2, UNKNOWN_TYPE)


def _layer_names() -> list[str]:
    from hafiza.engine.layers import LAYER_TYPES

    return list(LAYER_TYPES)


def test_a_setting_beyond_its_limit_is_said_in_darija_with_its_parts(speak):
    speak("ary")
    with pytest.raises(ExerciseError) as raised:
        coerce_number(SETTING_LIMITS["learning_rate"], "100")
    assert str(raised.value) == "100 خاصّو يكون على الأكثر 10"
    assert (raised.value.kind, raised.value.value, raised.value.limit) == (TOO_LARGE, 100.0, 10)


def test_an_exercise_refusal_is_framed_by_its_exercise_in_persian(speak):
    speak("fa")
    exercise = {"id": "xor", "task": "binary", "dataset": {"name": "xor"},
                "model": ["Dense(4, tanh)", "Dense(1, sigmoid)"],
                "hyperparameters": {"learning_rate": 100}}
    with pytest.raises(ExerciseError) as raised:
        validate_exercise(exercise)
    assert str(raised.value) == "تمرین 'xor': learning_rate: 100 باید حداکثر 10 باشد"
    assert raised.value.setting == "learning_rate"


def test_english_is_unchanged():
    with pytest.raises(ModelSpecError, match=r"^layer 1 \('LSTM\(0\)'\): LSTM units must be a "
                                             r"whole number from 1 to 10000000$"):
        parse_spec(["LSTM(0)"])
    with pytest.raises(ExerciseError, match=r"^exercise 'xor': learning_rate: 100 must be at "
                                            r"most 10$"):
        validate_exercise({"id": "xor", "task": "binary", "dataset": {"name": "xor"},
                           "model": ["Dense(1, sigmoid)"],
                           "hyperparameters": {"learning_rate": "100"}})


def test_the_dry_run_places_problems_by_attributes_in_any_language(speak):
    """A layer that does not fit and data that does not fit the input land on their fields
    in Persian as in English: the dry run reads ModelSpecError.layer and DataError.part."""
    from hafiza.engine.dry_run import dry_run

    base = {"id": "xor", "task": "binary", "dataset": {"name": "xor"}}
    layer_misfit = {**base, "input_shape": [2],
                    "model": ["Dense(4, tanh)", "LSTM(3)", "Dense(1, sigmoid)"]}
    input_misfit = {**base, "input_shape": [3], "model": ["Dense(1, sigmoid)"]}
    english = [dry_run(layer_misfit)[0].field, dry_run(input_misfit)[0].field]
    speak("fa")
    layer_problem, input_problem = dry_run(layer_misfit)[0], dry_run(input_misfit)[0]
    assert [layer_problem.field, input_problem.field] == english == [("model", 1),
                                                                    ("input_shape",)]
    assert layer_problem.message.startswith("لایه‌ها با هم جور نیستند: لایهٔ 2 (LSTM): لایهٔ "
                                            "بازگشتی دنباله‌هایی به شکل")
    assert input_problem.message == ("داده‌ها با ورودی مدل جور نیستند: شکل نمونه‌های x_train "
                                     "برابر (2,) است، ولی مدل (3,) می‌خواهد")


def test_a_text_file_refusal_is_said_in_darija(speak):
    from hafiza.engine.data.text_files import TextFileError, decode_text

    speak("ary")
    with pytest.raises(TextFileError) as raised:
        decode_text(b"   \n")
    assert (str(raised.value), raised.value.reason) == ("ما فيه حتى نص", "empty")

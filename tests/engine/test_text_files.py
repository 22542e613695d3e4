"""A learner's own text file read in the encoding it was saved in (issue 17, item 3)."""

import codecs

import pytest

from hafiza.engine.data.text_files import (
    TextFileError,
    decode_text,
    detect_encoding,
    read_text_file,
    summarize_text,
    with_text_file,
)

DARIJA = "كنتعلمو الذكاء الاصطناعي بالدارجة، والنموذج كيتوقع الكلمة الجاية.\r\nسطر تاني."
# Persian as Windows saves it in cp1256: Arabic ي and ك stand for ی and ک, which it lacks.
PERSIAN = "يادگيري عميق با پايتورچ؛ گربه‌ها و ژاله چه زيبا هستند."
FRENCH = "Le café était très bon, même à Noël. Straße, Ærø, œuvre."


@pytest.mark.parametrize("data, encoding", [
    (DARIJA.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + DARIJA.encode("utf-8"), "utf-8"),
    (DARIJA.encode("utf-16"), "utf-16"),  # Python writes the byte-order mark
    (codecs.BOM_UTF16_BE + DARIJA.encode("utf-16-be"), "utf-16"),
    (DARIJA.encode("cp1256"), "cp1256"),
    (PERSIAN.encode("cp1256"), "cp1256"),  # پ چ ژ گ sit where cp1252 has no letter
    (FRENCH.encode("cp1252"), "cp1252"),
    ("naïve résumé".encode("cp1252"), "cp1252"),
])
def test_each_encoding_is_detected_and_read_back_exactly(data, encoding):
    decoded = decode_text(data)
    assert decoded.encoding == encoding == detect_encoding(data)
    original = next(t for t in (DARIJA, PERSIAN, FRENCH, "naïve résumé")
                    if t.replace("\r\n", "\n")[:5] == decoded.text[:5])
    assert decoded.text == original.replace("\r\n", "\n")  # no BOM, "\n" line ends


def test_a_chosen_encoding_overrides_the_guess():
    data = DARIJA.encode("cp1256")
    assert decode_text(data, "cp1252").encoding == "cp1252"
    assert "ا" not in decode_text(data, "cp1252").text  # Latin letters: the learner sees why
    assert decode_text(data, "cp1256").text.startswith("كنتعلمو")


def test_bytes_that_are_not_text_are_refused_with_a_reason():
    with pytest.raises(TextFileError) as binary:
        decode_text(b"PK\x03\x04\x00\x00 zip")
    assert binary.value.reason == "binary"
    with pytest.raises(TextFileError) as empty:
        decode_text(codecs.BOM_UTF8 + b" \r\n ")
    assert empty.value.reason == "empty"
    with pytest.raises(TextFileError) as wrong:
        decode_text(b"\xff\xfe\xfd caf\xe9", "utf-8")
    assert wrong.value.reason == "undecodable"


def test_a_file_over_the_limit_is_refused_before_it_is_read_whole(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 100)
    with pytest.raises(TextFileError) as error:
        read_text_file(path, max_bytes=499)
    assert error.value.reason == "too_big"
    assert read_text_file(path, max_bytes=500).text == "word " * 100


def test_the_preview_shows_the_first_sentences_as_the_models_tokens():
    summary = summarize_text("Hello, world! A second one.\nA third. And a fourth.", sentences=3)
    assert summary.first_sentences == [["hello", ",", "world", "!"], ["a", "second", "one", "."],
                                       ["a", "third", "."]]
    assert summary.words == 10  # punctuation marks are tokens, not words
    assert summary.rare_words == 7  # all but the three "a" appear once
    capped = summarize_text("one two three four five. six seven", max_tokens=4)
    assert capped.first_sentences == [["one", "two", "three", "four"]]


def test_own_text_replaces_the_lesson_text_but_keeps_the_vocabulary_settings():
    exercise = {"id": "lm", "task": "language_model",
                "dataset": {"name": "lessons", "variety": "fa", "num_words": 3000,
                            "val_fraction": 0.1}}
    changed = with_text_file(exercise, "/tmp/mine.txt")
    assert changed["dataset"] == {"name": "text_file", "path": "/tmp/mine.txt",
                                  "num_words": 3000, "val_fraction": 0.1}
    assert exercise["dataset"]["name"] == "lessons"  # the original is untouched

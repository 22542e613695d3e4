import re

import pytest

from hafiza import varieties
from hafiza.engine.data import corpora
from hafiza.engine.data.corpora import (
    CORPORA,
    CorpusError,
    get_corpus,
    gutenberg_body,
    gutenberg_book,
    hafez_corpus,
    lesson_corpus,
    markdown_to_prose,
    read_text_file,
)
from hafiza.engine.text import tokenize

# --- read_text_file ----------------------------------------------------------------------


def test_reads_utf8_dropping_bom_and_crlf(tmp_path):
    path = tmp_path / "book.txt"
    path.write_bytes("\ufeffسلام\r\nمی\u200cروم\r\n".encode())
    assert read_text_file(path) == "سلام\nمی\u200cروم\n"
    assert read_text_file(str(path)) == "سلام\nمی\u200cروم\n"


def test_missing_file(tmp_path):
    with pytest.raises(CorpusError, match="no file"):
        read_text_file(tmp_path / "absent.txt")


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(CorpusError, match="folder"):
        read_text_file(tmp_path)


def test_windows_code_page_files_are_read(tmp_path):
    """Learners' files saved by Windows' Notepad in its code pages are read, not refused."""
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("café crème".encode("cp1252"))
    assert read_text_file(latin) == "café crème"
    arabic = tmp_path / "arabic.txt"
    arabic.write_bytes("القط جلس على السجادة".encode("cp1256"))
    assert read_text_file(arabic) == "القط جلس على السجادة"


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    with pytest.raises(CorpusError, match="image.txt"):
        read_text_file(path)


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match="empty"):
        read_text_file(path)


def test_huge_file(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    monkeypatch.setattr(corpora, "MAX_CORPUS_BYTES", 100)
    with pytest.raises(CorpusError, match="at most"):
        read_text_file(path)
    assert corpora.MAX_CORPUS_BYTES == 100  # the check reads the limit at call time


def test_corpus_error_is_a_value_error():
    assert issubclass(CorpusError, ValueError)


def test_default_limit_is_200_mb():
    assert corpora.MAX_CORPUS_BYTES == 200 * 1024 * 1024


# --- Gutenberg ---------------------------------------------------------------------------


def test_gutenberg_body_drops_header_and_licence():
    text = (
        "The Project Gutenberg eBook of War and Peace\nLicence words\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK WAR AND PEACE ***\n"
        "Well, Prince, so Genoa and Lucca are now just family estates.\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK WAR AND PEACE ***\nMore licence\n"
    )
    assert gutenberg_body(text) == "Well, Prince, so Genoa and Lucca are now just family estates."
    assert gutenberg_body("no markers here\n") == "no markers here"


def test_gutenberg_book_joins_wrapped_lines_into_paragraphs():
    text = ("Licence\n*** START OF THE PROJECT GUTENBERG EBOOK WAR AND PEACE ***\n"
            "Well, Prince, so Genoa\nand Lucca are now\njust family estates.\n\n"
            "Anna Pavlovna said so.\n*** END OF THE PROJECT GUTENBERG EBOOK WAR AND PEACE ***\n")
    assert gutenberg_book(text) == ("Well, Prince, so Genoa and Lucca are now just family "
                                    "estates.\n\nAnna Pavlovna said so.")
    # A learner's own text keeps the line breaks its writer chose (a poem's lines).
    poem = "first line\nsecond line\n"
    assert gutenberg_book(poem) == poem


def test_a_gutenberg_file_trains_on_the_book_not_the_licence(tmp_path):
    from hafiza.engine.exercises import load_data

    path = tmp_path / "book.txt"
    path.write_text("Licence terms here\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\n"
                    "one two three\nfour five\n\nsix seven eight nine\n"
                    "*** END OF THE PROJECT GUTENBERG EBOOK X ***\nmore licence\n",
                    encoding="utf-8")
    data, vocab = load_data({"task": "language_model", "dataset": {
        "name": "text_file", "path": str(path), "val_fraction": 0.0, "min_count": 1}},
        trusted_paths=True)  # min_count 1: every word of it is kept, none read as <oov>
    words = vocab.decode([int(i) for i in data.train_ids])
    assert words[:3] == ["one", "two", "three"] and "nine" in words
    assert "licence" not in words and "terms" not in words
    assert words.count("<eos>") == 2  # two paragraphs, not four wrapped lines


# --- lessons -----------------------------------------------------------------------------

LESSON_MD = """---
title: ignored front matter
---
# الشبكات **العصبية** المتكررة

شبكة RNN كتفكر فـ`h_t` وكتستعمل [المعادلة](https://example.org/rnn) ديالها $h_t = f(W x_t)$ مزيان.

$$
y_t = \\mathrm{softmax}(W h_t)
$$

```python
model.add(LSTM(10))
```

```quiz
question: شنو هي الذاكرة؟
answer: secret-quiz-answer
```

:::exercise
train-the-secret-exercise
:::

:::note
ملاحظة مهمة
:::

- نقطة أولى
1. خطوة *أولى*

> اقتباس

| الاسم | القيمة |
|---|---|
| units | 10 |

![صورة](figure.png)
<!-- hidden comment -->
<div dir="rtl">نص</div>

---
"""


def _write_lesson(root, lesson_id, variety, text):
    folder = root / lesson_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{variety}.md").write_text(text, encoding="utf-8")


def test_markdown_to_prose_strips_markup_code_math_and_quizzes():
    prose = markdown_to_prose(LESSON_MD)
    for gone in ("```", "$", "softmax", "model.add", "secret-quiz-answer", "شنو هي الذاكرة",
                 "train-the-secret-exercise", "ignored front matter", "https", "figure.png",
                 "hidden comment", "**", "#", "|", ":::", "<div", "---", "> ", "h_t"):
        assert gone not in prose, gone
    for kept in ("الشبكات العصبية المتكررة", "شبكة RNN كتفكر فـ وكتستعمل المعادلة ديالها",
                 "مزيان", "ملاحظة مهمة", "نقطة أولى", "خطوة أولى", "اقتباس", "units 10", "نص"):
        assert kept in prose, kept
    assert prose.splitlines()[0] == "الشبكات العصبية المتكررة"


def test_glossary_terms_keep_only_the_text_the_reader_sees():
    prose = markdown_to_prose("در [[layer|لایه‌ها]] چیده شده و [[bias]] دارد.")
    assert prose == "در لایه‌ها چیده شده و bias دارد."


def test_lesson_corpus_concatenates_one_variety_in_folder_order(tmp_path):
    _write_lesson(tmp_path, "02-lstm", "ary", "## LSTM\n\nالذاكرة الطويلة.\n")
    _write_lesson(tmp_path, "01-rnn", "ary", LESSON_MD)
    _write_lesson(tmp_path, "01-rnn", "fa", "شبکه\u200cهای بازگشتی\n")
    _write_lesson(tmp_path, "03-empty", "ary", "")
    text = lesson_corpus("ary", tmp_path)
    assert text.index("الشبكات العصبية") < text.index("الذاكرة الطويلة")
    assert "بازگشتی" not in text
    assert "```" not in text
    assert lesson_corpus("fa", tmp_path) == "شبکه\u200cهای بازگشتی"
    assert lesson_corpus("en", tmp_path) == ""


def test_lesson_corpus_without_lessons_is_empty(tmp_path):
    assert lesson_corpus("ar", tmp_path / "missing") == ""
    assert lesson_corpus("ar", tmp_path) == ""


def test_lesson_corpus_rejects_unknown_variety(tmp_path):
    with pytest.raises(CorpusError, match="variety"):
        lesson_corpus("klingon", tmp_path)


def test_lesson_corpus_reports_a_broken_lesson_file(tmp_path):
    (tmp_path / "01").mkdir()
    (tmp_path / "01" / "ar.md").write_bytes(b"\xff\xfe broken")  # a UTF-16 mark, odd bytes
    with pytest.raises(CorpusError, match="ar.md: byte 8 cannot be read"):
        lesson_corpus("ar", tmp_path)


# --- Hafez and the registry --------------------------------------------------------------


def test_hafez_corpus_is_persian_poetry():
    text = hafez_corpus()
    lines = [line for line in text.splitlines() if line]
    assert len(lines) > 8000  # about 500 ghazals of 7 to 10 couplets, one hemistich a line
    assert lines[0] == "الا یا ایها الساقی ادر کاسا و ناولها"
    assert "حافظ" in text
    letters = [ch for ch in text if ch.isalpha()]
    persian = sum("\u0600" <= ch <= "\u06ff" for ch in letters)
    assert persian == len(letters)
    assert re.search("[پچژگ]", text)  # letters Persian has and Arabic does not
    assert len(tokenize(text)) > 60000


def test_registry_has_hafez_and_every_lesson_variety():
    assert set(CORPORA) == {"hafez", *(f"lessons:{tag}" for tag in varieties.TAGS)}
    assert {"lessons:ary", "lessons:arz", "lessons:ar", "lessons:fa", "lessons:en"} <= set(CORPORA)
    assert get_corpus("hafez") == hafez_corpus()
    assert isinstance(get_corpus("lessons:fa"), str)
    with pytest.raises(CorpusError, match="unknown corpus"):
        get_corpus("shakespeare")

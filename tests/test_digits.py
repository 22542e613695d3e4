"""Prose numbers follow one rule per variety (hafiza/digits.py), on sentences from the course:
Persian digits with ٫ and ٬ in fa, Arabic-Indic digits in ar and arz, Latin digits with the
Darija interface's decimal comma in ary, English unchanged; identifiers, versions and
addresses keep what was written."""

import pytest

from hafiza.digits import prose_numbers, split_formulas

CASES = {
    # A Persian sentence: decimals and a thousands group.
    "fa": [
        ("زیان از 0.36 به 0.28 رسید", "زیان از ۰٫۳۶ به ۰٫۲۸ رسید"),
        ("۵۰ هزار: 50,000 نقد انگلیسی", "۵۰ هزار: ۵۰٬۰۰۰ نقد انگلیسی"),
        ("حدود 89.7% دقت", "حدود ۸۹٫۷٪ دقت"),
        ("وزن -0.6 است", "وزن \u200e−۰٫۶ است"),
        ("Hochreiter و Schmidhuber در 1997", "Hochreiter و Schmidhuber در ۱۹۹۷"),
    ],
    "arz": [
        ("الناتج 0.5498 تقريبًا", "الناتج ٠٫٥٤٩٨ تقريبًا"),
        ("برّا الـ 10,000 كلمة", "برّا الـ ١٠٬٠٠٠ كلمة"),
        ("و0 لو اتساووا", "و٠ لو اتساووا"),
    ],
    "ar": [
        ("مجموعها 1 دائمًا", "مجموعها ١ دائمًا"),
        ("من 0.7616 إلى 0.3634", "من ٠٫٧٦١٦ إلى ٠٫٣٦٣٤"),
    ],
    # Darija: the interface (QLocale ar_MA) writes 0,95 and 10.000; so does the prose now.
    "ary": [
        ("الخطوات 0.1، 0.2، 0.3", "الخطوات 0,1، 0,2، 0,3"),
        ("الدقة 0,95 مزيانة", "الدقة 0,95 مزيانة"),
        ("الداتا فيها 50,000 مراجعة", "الداتا فيها 50.000 مراجعة"),
    ],
    "en": [
        ("from 0.36 to 0.28 on 10,000 words", "from 0.36 to 0.28 on 10,000 words"),
    ],
}


@pytest.mark.parametrize("tag, written, shown",
                         [(tag, w, s) for tag, pairs in CASES.items() for w, s in pairs])
def test_numbers_in_prose_follow_the_variety(tag, written, shown):
    assert prose_numbers(written, tag) == shown


UNTOUCHED = [
    "h_t و x2 و LSTM2 و GPT-2 و W1",
    "PyTorch 2.13.0",
    "نرخ 1e-3 و تصویر 2D و هستهٔ 3x3",
    "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
    "www.example.org/page2",
    "teacher2@school.example.ma",
    "لایهٔ SimpleRNN(32)",
    "فهرست 1,2,3",
]


@pytest.mark.parametrize("tag", ["fa", "ar", "arz", "ary"])
@pytest.mark.parametrize("text", UNTOUCHED)
def test_identifiers_versions_and_addresses_keep_their_digits(tag, text):
    assert prose_numbers(text, tag) == text


def test_a_sentence_mixes_both_and_converts_only_the_numbers():
    text = "مدل GPT-2 با 1.5 میلیارد پارامتر، از https://x.org/v2 در 2019"
    assert prose_numbers(text, "fa") == \
        "مدل GPT-2 با ۱٫۵ میلیارد پارامتر، از https://x.org/v2 در ۲۰۱۹"


def test_a_range_converts_both_ends_and_a_hyphenated_name_neither():
    assert prose_numbers("بین 10-20 دوره", "fa") == "بین ۱۰-۲۰ دوره"
    assert prose_numbers("مدل GPT-2", "fa") == "مدل GPT-2"


def test_an_unknown_variety_is_left_as_written():
    assert prose_numbers("0.5", "xx") == "0.5"


# --- formulas inside prose (glossary definitions) -----------------------------------------

def course_definition(key: str, tag: str) -> str:
    """The definition of `key` in `tag` as the course glossary (lessons/glossary.yaml) has it."""
    from hafiza.lessonlib.glossary import course_glossary
    from hafiza.paths import shipped_folder

    text = course_glossary(shipped_folder("lessons"))[key][tag]
    return text.partition(" — ")[2]


def formulas(text: str) -> list[str]:
    return [piece for piece, formula in split_formulas(text) if formula]


@pytest.mark.parametrize(("key", "tag", "expected"), [
    ("cross-entropy", "fa", ["−log p"]),
    ("cross-entropy", "ary", ["−log ŷ"]),
    ("cross-entropy", "ar", [r"$-\log \hat{y}_c$"]),
    ("gradient descent", "fa", ["w := w − α · ∂J/∂w"]),
    ("sigmoid", "fa", ["σ(z) = 1 / (1 + e^(−z))", "LSTM"]),
    ("weighted sum", "ary", ["z = Σ wᵢxᵢ + b"]),
    ("linear activation", "arz", ["$f(z) = z$"]),
])
def test_a_glossary_definition_is_cut_at_its_formulas(key, tag, expected):
    text = course_definition(key, tag)
    assert formulas(text) == expected
    assert "".join(piece for piece, _formula in split_formulas(text)) == text


def test_numbers_of_the_prose_are_not_formulas():
    # "between -1 and 1" (tanh): a signed number and a number, prose both
    assert formulas(course_definition("tanh", "ary")) == []
    assert formulas("بین 10-20 دوره، 50% و (0, 1)") == []
    # a bracket of the sentence stays outside; a combining mark stays on its letter
    assert formulas("مرکز صفر (tanh)؛ مثل (مثلاً LSTM) و x̃") == ["(tanh)", "LSTM", "x̃"]
    assert split_formulas("") == [("", False)]

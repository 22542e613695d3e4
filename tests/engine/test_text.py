import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hafiza.engine.text import (
    ZWNJ,
    Vocabulary,
    join_tokens,
    normalize,
    pad_sequences,
    tokenize,
    usual_spellings,
)

MIRUM = "می" + ZWNJ + "روم"  # Persian "I go": one word with a ZWNJ inside


# --- normalize ---------------------------------------------------------------------------

def test_yeh_forms_become_persian_yeh():
    assert normalize("علي") == normalize("على") == normalize("علی") == "عل\u06cc"
    assert normalize("في") == "ف\u06cc"


def test_kaf_forms_become_keheh():
    assert normalize("كتاب") == normalize("کتاب") == "\u06a9تاب"


def test_alef_forms_become_bare_alef():
    assert normalize("أ إ آ ٱ") == "ا ا ا ا"
    assert normalize("إسلام") == "اسلام"


def test_tatweel_removed():
    assert normalize("مــــدرسة") == "مدرسة"


def test_diacritics_stripped_or_kept():
    assert normalize("كَتَبَ") == "کتب"
    assert normalize("مُعَلِّمٌ") == "معلم"
    assert normalize("\u0647\u0670\u0630\u0627") == "هذا"  # superscript alef
    assert normalize("كَتَبَ", strip_diacritics=False) == "ک\u064eت\u064eب\u064e"


def test_digits_become_ascii():
    assert normalize("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert normalize("٣٫٥") == "3.5"


def test_latin_lowercased_and_compatibility_forms_folded():
    assert normalize("LSTM and GRU") == "lstm and gru"
    assert normalize("\ufefb") == "لا"  # presentation-form lam-alef ligature
    assert normalize("ＬＳＴＭ") == "lstm"  # full-width letters


def test_zwnj_kept_inside_words_only():
    assert normalize(MIRUM) == MIRUM
    assert normalize("می" + ZWNJ * 3 + "روم") == MIRUM
    assert normalize(ZWNJ + "کتاب" + ZWNJ + " " + ZWNJ + "ها" + ZWNJ) == "کتاب ها"


def test_invisible_bidi_marks_removed():
    assert normalize("\u200fسلام\u200e\u202b") == "سلام"


# --- tokenize ----------------------------------------------------------------------------

def test_persian_sentence_keeps_zwnj_words_whole():
    text = "من هر روز به مدرسه\u200cها " + MIRUM + "."
    assert tokenize(text) == ["من", "هر", "روز", "به", "مدرسه\u200cها", MIRUM]


def test_persian_variants_give_the_same_tokens():
    arabic_keyboard = "كتاب يكي از دوستانم"  # Arabic kaf and yeh
    persian_keyboard = "کتاب یکی از دوستانم"
    assert tokenize(arabic_keyboard) == tokenize(persian_keyboard)
    assert tokenize(persian_keyboard) == ["کتاب", "یکی", "از", "دوستانم"]


def test_arabic_punctuation_dropped():
    text = "«مرحبا»، كيف الحال؟ أنا بخير؛ شكراً!"
    assert tokenize(text) == ["مرحبا", "کیف", "الحال", "انا", "بخیر", "شکرا"]


def test_punctuation_kept_as_tokens_for_language_models():
    text = f"«می{ZWNJ}روم»، خانه؟ “Well, prince!” 0.5."
    assert tokenize(text, punctuation=True) == [
        "«", f"می{ZWNJ}روم", "»", "،", "خانه", "؟", "“", "well", ",", "prince", "!", "”",
        "0.5", ".",
    ]
    # Stray marks and joiners are never tokens of their own.
    assert tokenize(f"كَتَبَ {ZWNJ} ـ", punctuation=True) == ["کتب"]


def test_tokens_join_back_into_readable_text():
    tokens = tokenize("«سلام»، چطوری؟ (خوبم) “Well, prince!” he said.", punctuation=True)
    assert join_tokens([*tokens, "<eos>", "next"]) == (
        "«سلام»، چطوری؟ (خوبم) “well, prince!” he said.\nnext")


def test_a_vocabulary_remembers_how_it_tokenises():
    vocab = Vocabulary.build(["hello, world. hello!"], punctuation=True)
    assert {",", ".", "!"} <= set(vocab.word_index)
    again = Vocabulary.from_dict(json.loads(json.dumps(vocab.to_dict())))
    assert again.encode("world!") == vocab.encode("world!") and len(again.encode("world!")) == 2
    assert Vocabulary.build(["hello, world."]).encode("hello, world.") == [2, 3]


def test_mixed_english_terms_and_digits_inside_arabic():
    text = "شبكة LSTM فيها 3 بوابات، و GRU فيها ٢ فقط (2 gates)."
    assert tokenize(text) == [
        "شبکة", "lstm", "فیها", "3", "بوابات", "و", "gru", "فیها", "2", "فقط", "2", "gates",
    ]


def test_arabic_prefix_attached_to_latin_or_digits_is_split():
    assert tokenize("الـLSTM بالـRNN") == ["ال", "lstm", "بال", "rnn"]
    assert tokenize("و3 سال2020") == ["و", "3", "سال", "2020"]


def test_darija_with_tatweel_and_harakat():
    assert tokenize("كنتعلّمو الـــشبكات دابا") == ["کنتعلمو", "الشبکات", "دابا"]


def test_html_breaks_removed_and_english_lowercased():
    review = "A great movie.<br /><br />I loved it, didn't you?<BR>Yes"
    assert tokenize(review) == ["a", "great", "movie", "i", "loved", "it", "didn't", "you", "yes"]


def test_decimals_are_one_token():
    assert tokenize("[[0.0, 0.1], [0.1, 0.2]]") == ["0.0", "0.1", "0.1", "0.2"]


def test_tokenize_without_normalisation_keeps_letters():
    assert tokenize("كتاب يكي", normalize_text=False) == ["كتاب", "يكي"]
    assert tokenize("كَتَبَ الولدُ", normalize_text=False) == ["كَتَبَ", "الولدُ"]


def test_underscores_and_hyphens_split_words():
    assert tokenize("return_sequences long-term") == ["return", "sequences", "long", "term"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_tokenize_and_normalize_never_raise(text):
    assert isinstance(normalize(text), str)
    assert isinstance(normalize(text, strip_diacritics=False), str)
    for tokens in (tokenize(text), tokenize(text, normalize_text=False)):
        assert all(token and not any(ch.isspace() for ch in token) for token in tokens)


_COURSE_ALPHABET = st.sampled_from(
    list("abcXYZ019 .,'-_!؟،«»") + list("ابتثجحخدذرسشصضطظعغفقكلمنهويىیکأإآٱةءؤئـپچژگ")
    + list("٠١٢٣٤۵۶٫") + ["\u064e", "\u0650", "\u0651", "\u0670", ZWNJ, "\u200f"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_COURSE_ALPHABET, max_size=40).map("".join))
def test_normalisation_is_stable_on_course_text(text):
    once = normalize(text)
    assert normalize(once) == once
    tokens = tokenize(text)
    assert tokenize(" ".join(tokens)) == tokens


@settings(max_examples=300, deadline=None)
@given(st.lists(_COURSE_ALPHABET, max_size=40).map("".join))
def test_words_as_written_align_with_the_canonical_words(text):
    for punctuation in (False, True):
        words = tokenize(text, punctuation=punctuation)
        written = tokenize(text, punctuation=punctuation, fold_letters=False)
        assert [normalize(form) for form in written] == words


def _with_words(lines):
    return [(line, tokenize(line)) for line in lines]


def test_usual_spellings_bring_back_alef_maksura_hamza_and_arabic_yeh():
    lines = ["مشى على الطريق إلى المدرسة الأولى", "على الطاولة كتاب هادي",
             "رجع إلى الدار", "the cat", "علي على"]
    spellings = usual_spellings(_with_words(lines))
    assert spellings["علی"] == "على"  # 3 times with ى against once with ي
    assert spellings["الی"] == "إلى" and spellings["الاولی"] == "الأولى"
    assert spellings["کتاب"] == "كتاب" and spellings["هادی"] == "هادي"
    assert "المدرسه" not in spellings and "the" not in spellings  # nothing was folded
    # Persian is written in the canonical letters: no entry, even for a stray Arabic yeh
    assert usual_spellings(_with_words(["می‌روم به خانه", "کتاب را می‌خوانم", "کتاب",
                                        "كتاب"])) == {}


def test_the_article_before_an_english_term_keeps_its_tatweel():
    # «الـ batch» is how the Arabic lessons write it; a bare «ال» reads as a slip.
    lines = ["نقسم الـ batch على الـ epochs", "في الـ loss", "كـتاب و ـ وحده"]
    spellings = usual_spellings(_with_words(lines))
    assert spellings["ال"] == "الـ"
    assert spellings["کتاب"] == "كتاب"  # a tatweel inside a word only stretches it
    assert "ـ" not in spellings and tokenize("الـ batch") == ["ال", "batch"]
    assert join_tokens(["في", spellings["ال"], "batch", "."]) == "في الـ batch."


def test_a_vocabulary_keeps_the_spellings_of_its_words():
    text = ["مشى على الطريق", "على الطاولة"]
    spellings = usual_spellings(_with_words(text)) | {"غائب": "غائب!"}
    vocab = Vocabulary.build(text, spellings=spellings)
    assert vocab.spelled("علی") == "على" and vocab.spelled("الطریق") == "الطريق"
    assert vocab.spelled("<oov>") == "<oov>" and "غائب" not in vocab.spellings  # not a word
    again = Vocabulary.from_dict(json.loads(json.dumps(vocab.to_dict())))
    assert again.spellings == vocab.spellings
    old = vocab.to_dict()
    del old["spellings"]  # a checkpoint from before spellings were kept
    assert Vocabulary.from_dict(old).spelled("علی") == "علی"


def test_a_language_model_corpus_remembers_how_its_words_were_written():
    from hafiza.engine.data.lm import LanguageModelData

    data = LanguageModelData.from_text("مشى حتى الليل.\nحتى الصباح، إلى الغد.\n",
                                       val_fraction=0.0, punctuation=True)
    assert data.vocab.spelled("حتی") == "حتى" and data.vocab.spelled("الی") == "إلى"
    assert data.vocab.spelled("،") == "،"


# --- Vocabulary --------------------------------------------------------------------------

TEXTS = ["the cat sat on the mat", "the dog ate the cat"]
# Counts: the 4, cat 2, then sat on mat dog ate once each, in order of first appearance.


def test_vocabulary_matches_keras_tokenizer_with_oov():
    vocab = Vocabulary.build(TEXTS)
    assert vocab.word_index == {
        "<oov>": 1, "the": 2, "cat": 3, "sat": 4, "on": 5, "mat": 6, "dog": 7, "ate": 8,
    }
    assert vocab.index_word[2] == "the"
    assert vocab.oov_index == 1
    assert len(vocab) == 9
    assert vocab.encode("The bird sat") == [2, 1, 4]
    assert vocab.encode(["cat", "unicorn"]) == [3, 1]


def test_vocabulary_without_oov_drops_unknown_words():
    vocab = Vocabulary.build(TEXTS, oov_token=None)
    assert vocab.word_index == {
        "the": 1, "cat": 2, "sat": 3, "on": 4, "mat": 5, "dog": 6, "ate": 7,
    }
    assert vocab.oov_index is None
    assert vocab.encode("the bird sat") == [1, 3]


def test_num_words_keeps_ids_below_it():
    vocab = Vocabulary.build(TEXTS, num_words=5)
    assert vocab.word_index == {"<oov>": 1, "the": 2, "cat": 3, "sat": 4}
    assert len(vocab) == 5
    assert vocab.encode("the mat on cat") == [2, 1, 1, 3]

    no_oov = Vocabulary.build(TEXTS, num_words=4, oov_token=None)
    assert no_oov.encode("the mat cat bird") == [1, 2]
    assert len(no_oov) == 4


def test_index_from_and_reserved_tokens():
    shifted = Vocabulary.build(TEXTS, index_from=3)
    assert shifted.word_index["<oov>"] == 3
    assert shifted.word_index["the"] == 4
    assert shifted.word_index["ate"] == 10
    assert len(shifted) == 11
    assert shifted.decode([1, 2, 4]) == ["<oov>", "<oov>", "the"]  # unused ids read as OOV

    imdb_layout = Vocabulary.build(TEXTS, reserved=("<start>", "<oov>", "<unused>"))
    assert [imdb_layout.word_index[w] for w in ("<start>", "<oov>", "<unused>", "the")] == [
        1, 2, 3, 4,
    ]
    assert imdb_layout.oov_index == 2

    start_first = Vocabulary.build(TEXTS, reserved=("<start>",))
    assert [start_first.word_index[w] for w in ("<start>", "<oov>", "the", "cat")] == [1, 2, 3, 4]


def test_reserved_tokens_in_the_text_keep_their_reserved_id():
    vocab = Vocabulary.build([["<eos>", "a", "<eos>", "b", "a"]], reserved=("<eos>",))
    assert vocab.word_index == {"<eos>": 1, "<oov>": 2, "a": 3, "b": 4}


def test_build_from_token_lists_and_single_text():
    vocab = Vocabulary.build([["a", "b"], ["b"]])
    assert vocab.word_index == {"<oov>": 1, "b": 2, "a": 3}
    assert Vocabulary.build("b a b").word_index == {"<oov>": 1, "b": 2, "a": 3}


def test_build_normalises_arabic_texts():
    vocab = Vocabulary.build(["كتاب", "کتاب يكي"])
    assert vocab.word_index == {"<oov>": 1, "کتاب": 2, "یکی": 3}


def test_decode_gives_one_word_per_id():
    vocab = Vocabulary.build(TEXTS)
    assert vocab.decode([0, 0, 2, 3, 99]) == ["<pad>", "<pad>", "the", "cat", "<oov>"]
    assert vocab.decode([0, 0, 2, 3, 99], skip_padding=True) == ["the", "cat", "<oov>"]
    assert vocab.decode(np.array([2, 4], dtype=np.int64)) == ["the", "sat"]
    assert Vocabulary.build(TEXTS, oov_token=None).decode([1, 99]) == ["the", "?"]


def test_vocabulary_round_trips_through_json():
    vocab = Vocabulary.build(TEXTS, num_words=6, index_from=2, reserved=("<eos>",))
    again = Vocabulary.from_dict(json.loads(json.dumps(vocab.to_dict())))
    assert again.word_index == vocab.word_index
    assert again.index_word == vocab.index_word
    assert again.oov_token == vocab.oov_token
    assert len(again) == len(vocab)
    assert again.encode("the dog sat") == vocab.encode("the dog sat")
    with pytest.raises(ValueError):
        Vocabulary.from_dict({"words": []})


def test_vocabulary_rejects_bad_arguments():
    with pytest.raises(ValueError):
        Vocabulary.build(TEXTS, num_words=1)  # no id left for the OOV token
    with pytest.raises(ValueError):
        Vocabulary.build(TEXTS, num_words=0)
    with pytest.raises(ValueError):
        Vocabulary.build(TEXTS, index_from=0)
    with pytest.raises(ValueError):
        Vocabulary({"a": 0})


# --- pad_sequences -----------------------------------------------------------------------

SEQS = [[1, 2, 3], [4, 5], [6]]


def test_pad_pre_by_default_to_longest():
    out = pad_sequences(SEQS)
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out, [[1, 2, 3], [0, 4, 5], [0, 0, 6]])


def test_pad_post():
    np.testing.assert_array_equal(
        pad_sequences(SEQS, padding="post"), [[1, 2, 3], [4, 5, 0], [6, 0, 0]]
    )


def test_truncate_pre_and_post():
    np.testing.assert_array_equal(pad_sequences(SEQS, maxlen=2), [[2, 3], [4, 5], [0, 6]])
    np.testing.assert_array_equal(
        pad_sequences(SEQS, maxlen=2, truncating="post"), [[1, 2], [4, 5], [0, 6]]
    )
    np.testing.assert_array_equal(
        pad_sequences(SEQS, maxlen=2, padding="post", truncating="post"),
        [[1, 2], [4, 5], [6, 0]],
    )


def test_pad_longer_maxlen_value_and_dtype():
    np.testing.assert_array_equal(
        pad_sequences(SEQS, maxlen=4), [[0, 1, 2, 3], [0, 0, 4, 5], [0, 0, 0, 6]]
    )
    out = pad_sequences([[0.5], []], maxlen=3, value=-1, dtype="float32")
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[-1, -1, 0.5], [-1, -1, -1]])


def test_pad_edge_cases():
    assert pad_sequences([]).shape == (0, 0)
    assert pad_sequences(SEQS, maxlen=0).shape == (3, 0)
    out = pad_sequences([np.ones((2, 3)), np.full((1, 3), 2.0)], dtype="float32")
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[1], [[0, 0, 0], [2, 2, 2]])
    with pytest.raises(ValueError):
        pad_sequences(SEQS, padding="middle")
    with pytest.raises(ValueError):
        pad_sequences(SEQS, truncating="both")
    with pytest.raises(ValueError):
        pad_sequences(SEQS, maxlen=-1)


def test_text_and_data_modules_load_without_torch_or_qt():
    code = (
        "import sys, hafiza.engine.text, hafiza.engine.data, hafiza.engine.data.corpora,"
        " hafiza.engine.data.lm\n"
        "assert not {'torch', 'PySide6'} & set(sys.modules), sorted(sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)


# --- words as the learner typed them (playgrounds) -----------------------------------------

def test_words_with_ids_keep_the_typed_spelling_and_mark_unknown_words():
    from hafiza.engine.text import unknown_words, words_with_ids

    vocab = Vocabulary.build(["علي كتب", "the cat"])
    pairs = words_with_ids(vocab, "The CAT, علی zebra")
    assert pairs == [("The", [vocab.word_index["the"]]), ("CAT", [vocab.word_index["cat"]]),
                     ("علی", [vocab.word_index["علی"]]), ("zebra", [vocab.oov_index])]
    assert unknown_words(vocab, pairs) == ["zebra"]
    with_marks = Vocabulary.build(["the cat ."], punctuation=True)
    assert [w for w, _ids in words_with_ids(with_marks, "the cat.")] == ["the", "cat", "."]
    no_oov = Vocabulary.build(["the cat"], oov_token=None)
    assert words_with_ids(no_oov, "the zebra") == [("the", [no_oov.word_index["the"]])]
    assert unknown_words(no_oov, words_with_ids(no_oov, "the zebra")) == []


def test_persian_vocabularies_and_the_readers_letters():
    from hafiza.engine.text import in_reader_letters, vocabulary_is_persian

    darija = Vocabulary.build(["كيفاش كتدير الشبكة ديالي هادي باش تعلم كلشي"])
    persian = Vocabulary.build(["شبکه چگونه یاد می‌گیرد و پس از آن گام بعدی را برمی‌دارد"])
    assert not vocabulary_is_persian(darija) and vocabulary_is_persian(persian)
    assert not vocabulary_is_persian(Vocabulary.build(["the cat sat"]))
    word = darija.decode([darija.word_index["دیالی"]])[0]  # normalised: Persian yeh, keheh
    assert in_reader_letters(word, persian=False) == "ديالي"
    assert in_reader_letters("کتدیر", persian=False) == "كتدير"
    assert in_reader_letters("یاد می‌گیرد", persian=True) == "یاد می‌گیرد"

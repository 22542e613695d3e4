import numpy as np
import pytest
from conftest import ROOT

from hafiza.engine.data.corpora import CorpusError, hafez_corpus
from hafiza.engine.data.lm import EOS, LanguageModelData, batchify, bptt_windows

TEXT = "the cat sat\nthe dog sat\n\nthe cat ran\nthe bird sang"
# Tokens: the cat sat <eos> the dog sat <eos> the cat ran <eos> the bird sang <eos> (16)


def test_from_text_splits_contiguously_with_eos():
    data = LanguageModelData.from_text(TEXT, num_words=None, val_fraction=0.25)
    assert data.train_ids.dtype == np.int64 and data.val_ids.dtype == np.int64
    assert data.train_ids.ndim == 1 and data.val_ids.ndim == 1
    assert len(data.train_ids) == 12 and len(data.val_ids) == 4
    assert data.vocab.decode(data.train_ids) == (
        "the cat sat <eos> the dog sat <eos> the cat ran <eos>".split()
    )
    # "bird" and "sang" appear only in validation, so the vocabulary does not know them.
    assert data.vocab.decode(data.val_ids) == ["the", "<oov>", "<oov>", EOS]
    # Frequencies in training: the 3, <eos> 3, cat 2, sat 2, dog 1, ran 1 (after <oov> = 1).
    assert data.vocab.word_index == {
        "<oov>": 1, "the": 2, EOS: 3, "cat": 4, "sat": 5, "dog": 6, "ran": 7,
    }


def test_words_seen_once_in_training_are_left_to_oov_so_the_model_meets_it():
    data = LanguageModelData.from_text(TEXT, num_words=None, val_fraction=0.25, min_count=2)
    # Seen once in training: dog and ran; they train the model on <oov> like new words.
    assert data.vocab.decode(data.train_ids) == (
        "the cat sat <eos> the <oov> sat <eos> the cat <oov> <eos>".split()
    )
    assert set(data.vocab.word_index) == {"<oov>", "the", EOS, "cat", "sat"}


def test_an_exercise_on_a_text_leaves_words_seen_once_to_oov_unless_told_otherwise():
    from hafiza.engine.exercises import prepare
    from hafiza.engine.text import MIN_COUNT
    from hafiza.lessonlib.loader import load_lesson

    exercise = dict(load_lesson(ROOT / "lessons" / "language-models").exercises["next-word"])
    assert MIN_COUNT == 2 and "min_count" not in exercise["dataset"]
    default = prepare(exercise).data
    oov = default.vocab.oov_index
    assert 0.02 < float(np.mean(default.train_ids == oov)) < 0.5
    every_word = prepare({**exercise, "dataset": {**exercise["dataset"], "min_count": 1}}).data
    assert not (every_word.train_ids == every_word.vocab.oov_index).any()
    assert len(every_word.vocab) > len(default.vocab)


@pytest.mark.parametrize("unit, text", [
    ("word", "one two three.\nfour, five six.\nseven eight, nine ten.\n"),  # marks alone
    ("char", "abc\ndef\n"),
])
def test_a_text_that_keeps_no_token_is_refused_not_learned_as_all_rare(unit, text):
    # Every token would be <oov>: perplexity 1 and "goal met" for a model that learned nothing.
    with pytest.raises(CorpusError, match="min_count"):
        LanguageModelData.from_text(text, val_fraction=0.0, min_count=2, unit=unit,
                                   punctuation=True)
    kept = LanguageModelData.from_text(text, val_fraction=0.0, min_count=1, unit=unit)
    assert kept.vocab.oov_index not in kept.train_ids


def test_an_exercise_whose_min_count_leaves_no_word_says_so_at_the_start():
    from hafiza.engine.exercises import ExerciseError, prepare
    from hafiza.lessonlib.loader import load_lesson

    exercise = dict(load_lesson(ROOT / "lessons" / "language-models").exercises["next-word"])
    with pytest.raises(ExerciseError, match="1000000 times or more.*min_count"):
        prepare({**exercise, "dataset": {**exercise["dataset"], "min_count": 1000000}})


def test_from_text_without_eos_and_with_num_words():
    data = LanguageModelData.from_text(TEXT, num_words=4, val_fraction=0.0, add_eos=False)
    assert len(data.val_ids) == 0
    assert len(data.vocab) == 4  # padding, <oov>, the, cat
    assert data.vocab.decode(data.train_ids[:4]) == ["the", "cat", "<oov>", "the"]
    assert EOS not in data.vocab


def test_from_text_normalises_persian_and_arabic_letters():
    data = LanguageModelData.from_text("كتاب\nکتاب\nمی\u200cروم", num_words=None,
                                       val_fraction=0.0)
    assert data.vocab.decode(data.train_ids) == [
        "کتاب", EOS, "کتاب", EOS, "می\u200cروم", EOS,
    ]


def test_from_text_rejects_too_little_text():
    with pytest.raises(CorpusError):
        LanguageModelData.from_text("?!\n\n")
    with pytest.raises(ValueError):
        LanguageModelData.from_text(TEXT, val_fraction=1.0)


def test_hafez_language_model_data():
    data = LanguageModelData.from_text(hafez_corpus(), num_words=5000)
    assert len(data.vocab) == 5000
    assert len(data.train_ids) > 50000
    assert 0.08 < len(data.val_ids) / (len(data.train_ids) + len(data.val_ids)) < 0.12
    assert data.train_ids.max() < 5000 and data.val_ids.max() < 5000
    assert data.train_ids.min() >= 1  # no padding inside the stream


def test_batchify_rows_are_consecutive_text():
    ids = np.arange(23, dtype=np.int64)
    batched = batchify(ids, 4)
    assert batched.shape == (4, 5) and batched.dtype == np.int64
    np.testing.assert_array_equal(batched[0], [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(batched[3], [15, 16, 17, 18, 19])  # 20..22 dropped
    with pytest.raises(ValueError):
        batchify(np.arange(3), 4)
    with pytest.raises(ValueError):
        batchify(ids, 0)


def test_bptt_windows_shift_by_one():
    batched = batchify(np.arange(24, dtype=np.int64), 2)  # rows 0..11 and 12..23
    windows = list(bptt_windows(batched, 5))
    assert [x.shape for x, _ in windows] == [(2, 5), (2, 5), (2, 1)]
    assert [y.shape for _, y in windows] == [(2, 5), (2, 5), (2, 1)]
    x, y = windows[0]
    np.testing.assert_array_equal(x, [[0, 1, 2, 3, 4], [12, 13, 14, 15, 16]])
    np.testing.assert_array_equal(y, [[1, 2, 3, 4, 5], [13, 14, 15, 16, 17]])
    x, y = windows[-1]
    np.testing.assert_array_equal(x, [[10], [22]])
    np.testing.assert_array_equal(y, [[11], [23]])
    # Together the windows cover every step once as input and once as target.
    np.testing.assert_array_equal(np.hstack([x for x, _ in windows]), batched[:, :-1])
    np.testing.assert_array_equal(np.hstack([y for _, y in windows]), batched[:, 1:])


def test_bptt_windows_edge_cases():
    assert list(bptt_windows(np.zeros((3, 1), dtype=np.int64), 4)) == []
    with pytest.raises(ValueError):
        list(bptt_windows(np.zeros((3, 10), dtype=np.int64), 0))


def test_bptt_windows_slice_torch_tensors_too():
    torch = pytest.importorskip("torch")
    batched = torch.from_numpy(batchify(np.arange(24, dtype=np.int64), 2))
    x, y = next(bptt_windows(batched, 5))
    assert isinstance(x, torch.Tensor)
    assert x.tolist() == [[0, 1, 2, 3, 4], [12, 13, 14, 15, 16]]
    assert y.tolist() == [[1, 2, 3, 4, 5], [13, 14, 15, 16, 17]]


def test_language_model_exercises_keep_punctuation_unless_told_not_to(tmp_path):
    from hafiza.engine.exercises import load_data

    path = tmp_path / "story.txt"
    path.write_text("«سلام»، چطوری؟\nخوبم، ممنون.\n" * 20, encoding="utf-8")
    exercise = {"task": "language_model",
                "dataset": {"name": "text_file", "path": path.name, "val_fraction": 0.1}}
    data, vocab = load_data(exercise, data_root=tmp_path)
    assert {"«", "»", "،", "؟", "."} <= set(vocab.word_index) and vocab.punctuation
    assert vocab.encode("سلام، خوبم؟") == [vocab.word_index[w]
                                            for w in ("سلام", "،", "خوبم", "؟")]
    exercise["dataset"]["punctuation"] = False
    data, vocab = load_data(exercise, data_root=tmp_path)
    assert "،" not in vocab.word_index and not vocab.punctuation

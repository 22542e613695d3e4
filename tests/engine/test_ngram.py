"""The Kneser-Ney baseline: proper distributions, Chen & Goodman's formula, sensible guesses."""

import numpy as np
import pytest

from hafiza.engine.data.lm import LanguageModelData
from hafiza.engine.ngram import KneserNey, fit_baseline


def _zipf_stream(n=20_000, vocab=300, seed=0):
    """Word-like ids: a few frequent, many rare, with some order (each id leans on the last)."""
    rng = np.random.default_rng(seed)
    ids = rng.zipf(1.4, n) % vocab
    ids[1::2] = (ids[:-1:2] * 7 + 3) % vocab  # every second id follows from the one before
    return ids


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_every_distribution_sums_to_one_and_gives_every_id_some_probability(order):
    ids = _zipf_stream()
    model = KneserNey.fit(ids, 300, order)
    contexts = [[], [int(ids[5])], [int(ids[5]), int(ids[6])], [299, 298],  # 299 never follows 298
                [int(i) for i in ids[:10]]]  # longer than the order: only its tail counts
    for context in contexts:
        probabilities = model.distribution(context)
        assert probabilities.shape == (300,)
        assert probabilities.sum() == pytest.approx(1.0, abs=1e-12)
        assert probabilities.min() > 0


def test_a_probability_is_the_one_chen_and_goodman_write():
    # Bigram model of 1 2 3 1 2 4 3 2 over 5 ids (0 never seen). Worked by hand:
    # bigram counts (1,2):2, the other five 1 -> D2 = 5 / (5 + 2*1) = 5/7;
    # continuation counts N1+(. w): 1:1, 2:2, 3:2, 4:1, total 6 -> D1 = 2 / (2 + 2*2) = 1/3;
    # P1(3) = (2 - 1/3) / 6 + (1/3) * 4/6 * 1/5 = 29/90;
    # P2(3 | 2) = (1 - 5/7) / 2 + (5/7) * 2/2 * 29/90 = 47/126.
    model = KneserNey.fit([1, 2, 3, 1, 2, 4, 3, 2], vocab_size=5, order=2)
    assert model.distribution([2])[3] == pytest.approx(47 / 126)
    # With no context at all the unigram counts themselves are the top order: counts
    # 1:2, 2:3, 3:2, 4:1 of 8 -> D1 = 1 / (1 + 2*2) = 1/5; P(3) = (2 - 1/5) / 8 + 1/5 * 4/8 / 5.
    assert model.distribution([])[3] == pytest.approx(0.245)
    assert model.distribution([])[0] == pytest.approx(0.2 * 4 / 8 / 5)  # only the uniform share


def test_a_repeated_sentence_gets_its_next_word_from_two_words_of_context():
    # "the cat sat on the mat ." ten times: after "on the" comes "mat", after "the cat" "sat".
    words = ["the", "cat", "sat", "on", "the", "mat", "."] * 10
    index = {w: i + 2 for i, w in enumerate(dict.fromkeys(words))}  # 0 padding, 1 <oov>
    model = KneserNey.fit([index[w] for w in words], vocab_size=len(index) + 2,
                          special_ids=(0, 1))
    ((best, probability), *_rest) = model.top_k([index["on"], index["the"]], 3)
    assert best == index["mat"] and probability > 0.8
    assert model.top_k([index["the"], index["cat"]], 1)[0][0] == index["sat"]
    # One word of context is ambiguous ("the" is followed by "cat" and by "mat"):
    guesses = {i for i, _ in model.top_k([index["the"]], 2)}
    assert guesses == {index["cat"], index["mat"]}


def test_top_k_never_offers_padding_or_oov_even_when_oov_is_the_likeliest():
    ids = [2, 3, 1, 2, 3, 1, 2, 3, 4] * 20  # after "2 3" comes <oov> (1) twice as often as 4
    model = KneserNey.fit(ids, vocab_size=6, special_ids=(0, 1))
    assert int(np.argmax(model.distribution([2, 3]))) == 1  # it keeps its probability...
    guesses = [i for i, _ in model.top_k([2, 3], 5)]
    assert guesses[0] == 4 and set(guesses) == {2, 3, 4, 5}  # ...but is never offered
    assert [i for i, _ in model.top_k([2, 3], 5, exclude=[4])][:1] != [4]


def test_held_out_scores_agree_with_the_distributions_they_come_from():
    ids = _zipf_stream()
    model = KneserNey.fit(ids[:15_000], 300)
    held = ids[15_000:15_400]
    expected = [model.distribution(held[max(0, t - 2):t])[held[t]] for t in range(1, len(held))]
    assert np.allclose(model.token_probabilities(held), expected, rtol=1e-12)
    assert model.log_prob(held) == pytest.approx(float(np.log(expected).sum()))
    assert model.perplexity(held) == pytest.approx(float(np.exp(-np.mean(np.log(expected)))))


def test_the_text_it_learned_is_less_perplexing_than_the_same_words_shuffled():
    ids = _zipf_stream()
    model = KneserNey.fit(ids, 300)
    shuffled = np.random.default_rng(1).permutation(ids)
    assert model.perplexity(ids) < 0.5 * model.perplexity(shuffled)
    # and a trigram learns more of this order than a unigram does
    assert model.perplexity(ids) < KneserNey.fit(ids, 300, order=1).perplexity(ids)


def test_counts_grow_with_the_text_not_with_the_vocabulary():
    # A dense trigram table over 100,000 words would need 10**15 cells; only the n-grams the
    # text holds are stored, so a large vocabulary costs nothing.
    passage = np.random.default_rng(0).integers(0, 100_000, 2_000)
    model = KneserNey.fit(np.tile(passage, 20), vocab_size=100_000)  # a passage read 20 times
    assert model.distribution(passage[:2])[passage[2]] > 0.9


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        KneserNey.fit([1, 2, 7], vocab_size=5)
    with pytest.raises(ValueError):
        KneserNey.fit([1, 2, 3], vocab_size=5, order=0)
    with pytest.raises(ValueError):
        KneserNey.fit([1, 2], vocab_size=5).perplexity([3])


def test_a_text_shorter_than_the_order_gives_the_uniform_distribution():
    model = KneserNey.fit([2, 3], vocab_size=4, order=3)
    assert np.allclose(model.distribution([2, 3]), 0.25)


def test_the_baseline_of_a_language_model_data_set_never_suggests_padding_or_oov():
    text = "the cat sat on the mat\nthe dog sat on the rug\n" * 30
    data = LanguageModelData.from_text(text, num_words=8)  # "dog" and "rug" become <oov>
    model = fit_baseline(data)
    assert model.vocab_size == len(data.vocab)
    on_the = data.vocab.encode("on the")
    # after "on the" comes "mat" or <oov> ("rug") half the time each: <oov> is not offered
    assert model.distribution(on_the)[data.vocab.oov_index] > 0.4
    everything = [i for i, _ in model.top_k(on_the, len(data.vocab))]
    assert data.vocab.decode(everything[:1]) == ["mat"]
    assert data.vocab.oov_index not in everything and 0 not in everything


def test_a_language_model_run_ends_with_the_counting_baseline(tmp_path):
    """After a language model's run finishes, the engine scores a Kneser-Ney trigram of the
    same training text on the same held-out text, for the learner to compare: on a text that
    repeats, counting is nearly certain (perplexity close to 1)."""
    from hafiza.engine.data.text_files import with_text_file
    from hafiza.engine.events import Baseline, Finished
    from hafiza.engine.exercises import get_exercise, prepare

    text = tmp_path / "cycle.txt"
    text.write_text("the cat sat on the mat and the dog ran to the door .\n" * 80,
                    encoding="utf-8")
    exercise = with_text_file(get_exercise("lm_lessons"), str(text))
    exercise["hyperparameters"]["epochs"] = 1
    events = list(prepare(exercise, trusted_paths=True).fit())
    kinds = [type(event) for event in events]
    assert Finished in kinds and kinds[-1] is Baseline
    assert kinds.index(Finished) < kinds.index(Baseline)
    assert 1.0 <= events[-1].val_perplexity < 2.0


def test_a_classifier_run_has_no_counting_baseline():
    from hafiza.engine.events import Baseline
    from hafiza.engine.exercises import get_exercise, prepare

    exercise = get_exercise("mlp_circles")
    exercise["hyperparameters"]["epochs"] = 1
    assert not any(isinstance(e, Baseline) for e in prepare(exercise).fit())

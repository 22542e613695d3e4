"""The tagging data set (engine.data.entities) and how a tagger is scored (engine.tagging):
sentences in every variety, held out by template and by name, tags that match their words,
and an entity F1 counted as seqeval counts it."""

import numpy as np
import pytest

from hafiza.engine.data import get_dataset
from hafiza.engine.data.entities import PADDING_TAG, TAGS, _Names, make_sentence, tagged_words
from hafiza.engine.data.entities_words import WORDS
from hafiza.engine.objectives import IGNORE_LABEL
from hafiza.engine.tagging import MostFrequentTag, entity_f1, entity_spans
from hafiza.engine.text import normalize

VARIETIES = ("ary", "arz", "ar", "fa", "en")


def test_padding_is_the_label_the_loss_skips():
    assert PADDING_TAG == IGNORE_LABEL


@pytest.mark.parametrize("variety", VARIETIES)
def test_every_variety_has_tagged_sentences_padded_after_their_words(variety):
    data = get_dataset("entities", variety=variety, n_samples=300, val_fraction=0.2, seed=3)
    assert (data.task, data.n_classes) == ("tagging", len(TAGS))
    assert data.x_train.shape[0] == 240 and data.x_val.shape[0] == 60
    assert data.x_train.shape[1] == data.info["time_steps"] == data.y_train.shape[1]
    assert data.info["num_words"] == len(data.vocabulary)
    for x, y in ((data.x_train, data.y_train), (data.x_val, data.y_val)):
        words = y != PADDING_TAG
        assert ((x != 0) == words).all()  # a word has an id, padding is 0 and untagged
        # padding only after the sentence: once a row is padded it stays padded
        assert (np.diff(words.astype(int), axis=1) <= 0).all()
        for row in y:  # every entity starts with B- (an I- never follows O or another kind)
            names = [TAGS[t] for t in row if t != PADDING_TAG]
            for before, tag in zip(["O", *names], names, strict=False):
                if tag.startswith("I-"):
                    assert before[2:] == tag[2:], names
        assert {TAGS.index(t) for t in ("B-PER", "B-LOC", "B-ORG")} <= set(y.ravel())


def test_the_same_seed_gives_the_same_sentences_and_another_seed_others():
    first = get_dataset("entities", variety="arz", n_samples=200, seed=7)
    again = get_dataset("entities", variety="arz", n_samples=200, seed=7)
    other = get_dataset("entities", variety="arz", n_samples=200, seed=8)
    assert np.array_equal(first.x_train, again.x_train)
    assert np.array_equal(first.y_val, again.y_val)
    assert not np.array_equal(first.y_train, other.y_train)


@pytest.mark.parametrize("variety", VARIETIES)
def test_held_out_people_and_places_never_appear_in_training(variety):
    data = get_dataset("entities", variety=variety, n_samples=3000, seed=0)
    held = _Names(WORDS[variety], held_out=True)
    for name in held.male + held.female + held.family + held.places:
        known = [word for word, _tag in tagged_words(name, "X") if word in data.vocabulary]
        assert not known, (name, known)
    # and the held-out sentences read them as the unknown word
    oov = data.vocabulary.oov_index
    assert (data.x_val == oov).sum() > 0


def test_held_out_templates_are_not_training_templates():
    for words in WORDS.values():
        assert not set(words.templates) & set(words.held_out_templates)


def test_words_agree_with_the_first_persons_gender():
    arabic = WORDS["ar"]
    only = _Names(arabic._replace(templates=("[يعمل|تعمل] {PER} في {ORG}",)), held_out=False)
    women = {normalize(name) for name in only.female}
    rng = np.random.default_rng(0)
    verbs = set()
    for _ in range(40):
        words = [word for word, _tag in make_sentence(rng, only)]
        verb = normalize("تعمل" if words[1] in women else "يعمل")
        assert words[0] == verb, words
        verbs.add(verb)
    assert len(verbs) == 2  # both genders were drawn


def test_a_name_of_two_words_is_one_entity():
    assert tagged_words("بني ملال", "LOC") == [("بنی", "B-LOC"), ("ملال", "I-LOC")]
    assert tagged_words("lives in", None) == [("lives", "O"), ("in", "O")]


def test_entity_spans_as_seqeval_reads_them():
    assert entity_spans(["B-PER", "I-PER", "O", "B-LOC"]) == {("PER", 0, 1), ("LOC", 3, 3)}
    # an I- after O, or after another kind, begins an entity (seqeval's default mode)
    assert entity_spans(["O", "I-ORG", "I-ORG", "I-LOC"]) == {("ORG", 1, 2), ("LOC", 3, 3)}
    assert entity_spans(["B-PER", "B-PER"]) == {("PER", 0, 0), ("PER", 1, 1)}


def test_entity_f1_counts_exact_spans_only():
    true = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    guessed = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "O"]]  # the person cut short
    score = entity_f1(true, guessed)
    assert (score.precision, score.recall, score.entities) == (2 / 3, 2 / 3, 3)
    assert score.f1 == pytest.approx(2 / 3)
    assert entity_f1([["O"]], [["O"]]).f1 == 0.0  # nothing to find, nothing found


def test_the_baseline_gives_each_word_its_most_frequent_training_tag():
    x = np.array([[5, 6, 0], [5, 7, 0], [6, 6, 5]])
    y = np.array([[1, 0, -100], [1, 0, -100], [3, 0, 0]])
    baseline = MostFrequentTag(x, y, PADDING_TAG)
    # 5 was B-PER twice and O once; 6 was O three times, B-LOC once; 9 is unknown: O
    assert baseline.predict(np.array([[5, 6, 9]])).tolist() == [[1, 0, 0]]

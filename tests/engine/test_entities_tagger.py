"""The lesson's bidirectional tagger (rnn-in-practice: tagger) trains on the tagged sentences,
finds names it never saw better than the most-frequent-tag baseline, and tags a typed
sentence word by word (engine.playgrounds.tagging)."""

import pytest
import torch
import yaml

from hafiza.engine.exercises import in_variety, prepare
from hafiza.engine.playgrounds.tagging import entity_kinds, tag_sentence
from hafiza.engine.tagging import score_tagger
from hafiza.paths import BUILTIN_LESSONS_DIR


def lesson_tagger(variety: str) -> dict:
    lesson = yaml.safe_load((BUILTIN_LESSONS_DIR / "rnn-in-practice" / "lesson.yaml")
                            .read_text(encoding="utf-8"))
    exercise = next(ex for ex in lesson["exercises"] if ex["id"] == "tagger")
    return in_variety(exercise, variety)


@pytest.fixture(scope="module")
def persian_tagger():
    torch.set_num_threads(1)
    run = prepare(lesson_tagger("fa"))
    events = list(run.fit())
    # it finishes, then says how many names it finds in held-out sentences (F1)
    assert [type(e).__name__ for e in events[-2:]] == ["Finished", "EntitiesFound"]
    return run


def test_the_app_reads_the_sentences_in_the_learners_variety():
    assert lesson_tagger("arz")["dataset"] == {"name": "entities", "n_samples": 2000,
                                               "variety": "arz"}


def test_the_tagger_finds_unseen_names_better_than_the_baseline(persian_tagger):
    scores = score_tagger(persian_tagger.model, persian_tagger.data)
    assert scores.sentences == 400
    assert scores.model.entities > 400  # every held-out sentence has at least one name
    # measured 0.87 against 0.00 (the baseline cannot know a name it never saw)
    assert scores.model.f1 > 0.6
    assert scores.model.f1 > scores.baseline.f1 + 0.5


def test_a_typed_sentence_gets_a_tag_and_a_confidence_per_word(persian_tagger):
    run = persian_tagger
    found = tag_sentence(run.model, run.data.vocabulary, run.data.info["tags"],
                         "علی در تهران زندگی می\u200cکند", run.data.info["time_steps"])
    assert [item.word for item in found] == ["علی", "در", "تهران", "زندگی", "می\u200cکند"]
    assert entity_kinds(found) == ["PER", "O", "LOC", "O", "O"]
    assert found[0].tag == "B-PER" and found[2].tag == "B-LOC"
    assert all(0.0 < item.confidence <= 1.0 for item in found)
    assert all(item.known for item in found)
    assert tag_sentence(run.model, run.data.vocabulary, run.data.info["tags"], " ! ") == []

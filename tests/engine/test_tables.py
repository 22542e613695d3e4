"""The engine's tables are the limits the validators enforce: a value one past a row's end
is refused by the code that reads it, so a control built from the row never offers it."""

import inspect

import pytest

from hafiza.engine.data import DATASETS, DatasetError, get_dataset
from hafiza.engine.exercises import ExerciseError, apply_overrides, get_exercise
from hafiza.engine.tables import DATASET_LIMITS, SETTING_LIMITS


def _takers(name):
    return [dataset for dataset, make in DATASETS.items() if dataset != "imdb"
            and name in inspect.signature(make).parameters]


# IMDB's settings (and a text corpus's min_count) are refused by the exercise's check.
@pytest.mark.parametrize("name", sorted(set(DATASET_LIMITS) - {"maxlen", "num_words",
                                                                "index_from", "min_count"}))
def test_array_data_sets_refuse_a_value_past_their_row(name):
    limit = DATASET_LIMITS[name]
    takers = _takers(name)
    assert takers, f"no data set takes {name}"
    past = limit.maximum + 1
    for dataset in takers:
        with pytest.raises(DatasetError, match=f"{name} must be at most"):
            get_dataset(dataset, **{name: int(past) if limit.whole else past})


def test_imdb_settings_are_checked_before_the_archive_is_read(hafiza_home):
    """maxlen and num_words are refused by their rows even with nothing imported."""
    with pytest.raises(DatasetError, match="maxlen must be at most 5000"):
        get_dataset("imdb", maxlen=5001)
    with pytest.raises(DatasetError, match="num_words must be at least 4"):
        get_dataset("imdb", num_words=3)
    with pytest.raises(DatasetError, match="index_from must be at most 1000"):
        get_dataset("imdb", index_from=1001)


@pytest.mark.parametrize("name", sorted(SETTING_LIMITS))
def test_hyperparameters_end_where_their_row_ends(name):
    limit = SETTING_LIMITS[name]
    exercise = get_exercise("mlp_xor")
    edge = int(limit.maximum) if limit.whole else limit.maximum
    assert apply_overrides(exercise, {name: edge})["hyperparameters"][name] == edge
    past = edge + 1 if limit.whole else limit.maximum * 2 + 1
    with pytest.raises(ExerciseError, match="at most"):
        apply_overrides(exercise, {name: past})

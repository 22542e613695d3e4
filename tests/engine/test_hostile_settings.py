"""Settings a lesson, a pack or a progress import may carry that multiply into gigabytes or
reach a TypeError: each is refused before anything is built, as an ExerciseError naming the
setting, its value, the limit and the kind of refusal (the app words it for the learner), and
on the command line as one plain line with a non-zero exit."""

import subprocess
import sys

import pytest

from hafiza.engine import budget, cli, exercises
from hafiza.engine.exercises import ExerciseError, apply_overrides, get_exercise, prepare
from hafiza.engine.refusals import MEMORY, NOT_A_NUMBER, TOO_LARGE, TOO_SMALL

# (exercise, overrides, setting refused, kind): each one a hostile input.
HOSTILE_SETTINGS = [
    ("sine_forecast", {"dataset.n_samples": "1e10"}, "dataset.n_samples", TOO_LARGE),
    ("sine_forecast", {"dataset.n_samples": "abc"}, "dataset.n_samples", NOT_A_NUMBER),
    ("sine_forecast", {"dataset.noise": "nan"}, "dataset.noise", NOT_A_NUMBER),
    ("sine_forecast", {"dataset.noise": "inf"}, "dataset.noise", TOO_LARGE),
    ("sine_forecast", {"dataset.window": "1e9"}, "dataset.window", TOO_LARGE),
    ("sine_forecast", {"dataset.seed": "-1"}, "dataset.seed", TOO_SMALL),
    ("rnn_vs_lstm_long", {"dataset.seq_len": "1e9"}, "dataset.seq_len", TOO_LARGE),
    ("lm_lessons", {"dataset.num_words": "abc"}, "dataset.num_words", NOT_A_NUMBER),
    ("lm_lessons", {"dataset.num_words": "1e10"}, "dataset.num_words", TOO_LARGE),
    ("lm_lessons", {"dataset.val_fraction": "nan"}, "dataset.val_fraction", NOT_A_NUMBER),
    ("lm_lessons", {"dataset.val_fraction": "1"}, "dataset.val_fraction", TOO_LARGE),
    ("mlp_xor", {"batch_size": "-1"}, "batch_size", TOO_SMALL),
    ("mlp_xor", {"batch_size": "0"}, "batch_size", TOO_SMALL),
    ("mlp_xor", {"batch_size": "2.5"}, "batch_size", NOT_A_NUMBER),
    ("mlp_xor", {"batch_size": "inf"}, "batch_size", TOO_LARGE),
    ("mlp_xor", {"batch_size": "abc"}, "batch_size", NOT_A_NUMBER),
    ("mlp_xor", {"epochs": "1e10"}, "epochs", TOO_LARGE),
    ("mlp_xor", {"learning_rate": "nan"}, "learning_rate", NOT_A_NUMBER),
]


@pytest.mark.parametrize(("name", "overrides", "setting", "kind"), HOSTILE_SETTINGS)
def test_a_setting_out_of_its_row_is_refused_with_its_parts(name, overrides, setting, kind):
    with pytest.raises(ExerciseError) as caught:
        apply_overrides(get_exercise(name), overrides)
    error = caught.value
    assert (error.setting, error.kind) == (setting, kind)
    typed = overrides[setting]
    assert str(error.value) in (typed, str(float(typed)) if typed[-1].isdigit() else typed)
    assert setting in str(error)


def test_the_same_values_in_the_exercise_itself_are_refused_by_prepare():
    exercise = get_exercise("sine_forecast")
    exercise["dataset"]["n_samples"] = 10**10
    with pytest.raises(ExerciseError) as caught:
        prepare(exercise)
    assert (caught.value.setting, caught.value.kind, caught.value.limit) == (
        "dataset.n_samples", TOO_LARGE, 1_000_000)


def test_units_of_ten_million_are_refused_from_the_spec_before_the_model_is_built(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the model was built")

    monkeypatch.setattr("hafiza.engine.models.build_model", never)
    exercise = apply_overrides(get_exercise("sine_forecast"), {"model.0": "LSTM(10000000)"})
    with pytest.raises(ExerciseError) as caught:
        prepare(exercise)
    error = caught.value
    assert (error.setting, error.value, error.kind) == ("model.0", "LSTM(10000000)", MEMORY)
    assert error.needed > 10**15 > error.limit == budget.memory_budget()


def test_a_million_windows_of_ten_thousand_steps_are_refused_before_they_are_drawn():
    exercise = apply_overrides(get_exercise("sine_forecast"),
                               {"dataset.n_samples": "1000000", "dataset.window": "10000"})
    with pytest.raises(ExerciseError) as caught:
        prepare(exercise)
    assert caught.value.kind == MEMORY and caught.value.setting == "dataset.n_samples"
    assert caught.value.needed > 100 * 2**30


def test_the_whole_set_as_one_batch_is_reckoned_against_the_memory(monkeypatch):
    """batch_size none means the whole training set (the form's "whole set"): it runs when
    it fits and is refused, naming batch_size, when one batch would not."""
    exercise = apply_overrides(get_exercise("sine_forecast"),
                               {"batch_size": "none", "dataset.n_samples": "100000",
                                "epochs": "1"})
    monkeypatch.setattr(budget, "memory_budget", lambda: 200 << 20)
    with pytest.raises(ExerciseError) as caught:
        prepare(exercise)
    assert (caught.value.setting, caught.value.value, caught.value.kind) == (
        "batch_size", 80_000, MEMORY)
    small = apply_overrides(exercise, {"dataset.n_samples": "200"})
    assert prepare(small).config.batch_size is None


def test_a_model_that_fits_the_budget_is_built(monkeypatch):
    monkeypatch.setattr(budget, "memory_budget", lambda: 64 << 20)
    run = prepare(apply_overrides(get_exercise("mlp_xor"), {"epochs": "1"}))
    assert sum(p.numel() for p in run.model.parameters()) == 33


def test_parameters_estimated_from_a_spec_match_torchs_count():
    from hafiza.engine.models import build_model

    for spec, shape in ((["LSTM(10)", "Dense(1)"], [5, 1]),
                        (["Embedding(100, 8)", "Bidirectional(GRU(6, return_sequences=True))",
                          "GlobalMaxPool", "Dense(3, softmax)"], None),
                        (["EmbeddingBag(50, 4, bigrams=True)", "Dense(1, sigmoid)"], None),
                        (["Dense(4, relu)", "Dropout(0.5)", "Dense(2, softmax)"], [7])):
        model = build_model(spec, shape)
        assert budget.parameter_count(spec, shape) == sum(p.numel() for p in model.parameters())


def test_memory_budget_is_a_share_of_what_the_machine_has(monkeypatch):
    monkeypatch.setattr(budget, "available_memory", lambda: 10 << 30)
    assert budget.memory_budget() == int((10 << 30) * budget.MEMORY_SHARE)
    monkeypatch.setattr(budget, "available_memory", lambda: 300 << 20)
    assert budget.memory_budget() == budget.LEAST_BUDGET
    monkeypatch.setattr(budget, "available_memory", lambda: 100 << 20)
    assert budget.memory_budget() == 100 << 20


def test_an_address_space_limit_lowers_the_budget(monkeypatch):
    import resource

    monkeypatch.setattr(resource, "getrlimit", lambda which: (3 << 30, 3 << 30))
    room = budget._rlimit_room()
    assert room is not None and room < 3 << 30
    assert budget.available_memory() <= room
    monkeypatch.undo()
    assert budget.available_memory() > 0


# --- the command line -------------------------------------------------------------------------

CLI_CASES = [
    ["summary", "sine_forecast", "--set", "dataset.n_samples=1e10"],
    ["summary", "sine_forecast", "--set", "dataset.noise=nan"],
    ["summary", "lm_lessons", "--set", "dataset.num_words=abc"],
    ["summary", "sine_forecast", "--set", "model.0=LSTM(10000000)"],
    ["train", "mlp_xor", "--set", "batch_size=-1"],
    ["train", "sine_forecast", "--set", "dataset.n_samples=1000000",
     "--set", "dataset.window=10000"],
]


@pytest.mark.parametrize("argv", CLI_CASES)
def test_the_command_line_says_it_plainly_and_exits_non_zero(argv, capsys):
    assert cli.main(argv) == cli.EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err and captured.out == ""


def test_the_command_line_in_a_process_of_its_own_prints_no_traceback():
    done = subprocess.run([sys.executable, "-m", "hafiza.engine.cli", "summary", "sine_forecast",
                           "--set", "model.0=LSTM(10000000)"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == cli.EXIT_USAGE
    assert "Traceback" not in done.stderr
    assert "model.0 = LSTM(10000000)" in done.stderr and "memory" in done.stderr


def test_exercise_error_stays_the_exercises_modules_error():
    assert exercises.ExerciseError is ExerciseError and issubclass(ExerciseError, ValueError)


HOSTILE_FILES = {
    "tag.yaml": "!!python/object/apply:os.system ['touch pwned']\n",
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "deep.yaml": "a: " + "[" * 5_000 + "]" * 5_000 + "\n",
    "nan.json": '{"id": "x", "task": NaN}',
    "list.yaml": "- 1\n- 2\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_a_hostile_exercise_file_is_refused_plainly(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text(HOSTILE_FILES[name], encoding="utf-8")
    assert cli.main(["train", str(path), "--quiet"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert not (tmp_path / "pwned").exists()


def test_a_lesson_asking_more_than_any_laptop_gives_is_refused_when_checked():
    """The ceiling is the same on every machine: a pack with Dense(10000000) on two inputs
    is refused by the checker and the importer, before any learner presses Train."""
    from hafiza.engine.budget import LESSON_MEMORY_CEILING
    from hafiza.engine.exercises import validate_exercise
    from hafiza.engine.refusals import MEMORY

    exercise = {"id": "big", "task": "binary", "dataset": {"name": "xor"},
                "model": ["Dense(10000000, tanh)", "Dense(1, sigmoid)"], "input_shape": [2]}
    with pytest.raises(ExerciseError) as refused:
        validate_exercise(exercise)
    assert refused.value.kind == MEMORY and refused.value.limit == LESSON_MEMORY_CEILING
    assert refused.value.needed > LESSON_MEMORY_CEILING
    exercise["model"] = ["Dense(64, tanh)", "Dense(1, sigmoid)"]
    assert validate_exercise(exercise)["model"] == exercise["model"]

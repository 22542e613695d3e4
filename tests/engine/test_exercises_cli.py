"""Exercise validation, overrides, goals, and the command line's output and exit codes."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import yaml

from hafiza.engine import cli
from hafiza.engine import runtime as cli_runtime
from hafiza.engine.checkpoints import load_checkpoint
from hafiza.engine.exercises import (
    BUILTIN_EXERCISES,
    ExerciseError,
    apply_overrides,
    get_exercise,
    goal_met,
    parse_assignments,
    prepare,
    validate_exercise,
)

torch.set_num_threads(1)
ROOT = Path(__file__).resolve().parents[2]


def _xor(**changes):
    exercise = get_exercise("mlp_xor")
    exercise.update(changes)
    return exercise


@pytest.mark.parametrize("name", sorted(BUILTIN_EXERCISES))
def test_builtin_exercises_are_valid(name):
    exercise = get_exercise(name)
    assert exercise["id"] == name and exercise["goal"]["op"] in (">=", "<=")
    # What a lesson file would hold survives a YAML round trip unchanged.
    assert validate_exercise(yaml.safe_load(yaml.safe_dump(exercise))) == exercise


def test_builtin_seq003_matches_the_seed():
    exercise = get_exercise("seq003")
    assert exercise["model"] == ["LSTM(10)", "Dense(1, linear)"]
    assert exercise["input_shape"] == [1, 1] and exercise["loss"] == "mse"
    hyper = exercise["hyperparameters"]
    assert (hyper["optimizer"], hyper["epochs"], hyper["shuffle"], hyper["batch_size"]) == \
        ("adam", 300, False, 32)


@pytest.mark.parametrize("changes, fragment", [
    ({"task": "clustering"}, "task must be one of"),
    ({"model": ["LSTM(__import__('os'))"]}, "model: layer 1"),
    ({"model": "Dense(1)"}, "list of layers"),
    ({"dataset": "xor"}, "dataset is a mapping"),
    ({"hyperparameters": {"epochs": 0}}, "epochs"),
    ({"hyperparameters": {"learning_rate": "fast"}}, "learning_rate"),
    ({"hyperparameters": {"warp": 9}}, "unknown hyperparameter"),
    ({"controls": ["colour"]}, "control 'colour'"),
    ({"goal": {"metric": "val_accuracy", "op": "=~", "value": 1}}, "goal"),
    ({"loss": "hinge_squared"}, "loss must be one of"),
    ({"input_shape": [0]}, "input_shape"),
    ({"surprise": 1}, "unknown exercise field"),
    ({"task": "language_model"}, "language model"),
])
def test_invalid_exercises_are_explained(changes, fragment):
    with pytest.raises(ExerciseError, match=fragment.replace("(", r"\(")):
        validate_exercise(_xor(**changes))


def test_missing_fields():
    with pytest.raises(ExerciseError, match="needs 'model'"):
        validate_exercise({"id": "x", "task": "binary", "dataset": {"name": "xor"}})
    with pytest.raises(ExerciseError, match="mapping"):
        validate_exercise(["not", "a", "dict"])


def test_overrides_are_coerced_and_checked():
    base = get_exercise("mlp_xor")
    changed = apply_overrides(base, parse_assignments([
        "epochs=5", "learning_rate=0.5", "shuffle=false", "batch_size=none",
        "optimizer=SGD", "dataset.noise=0.3", "model.0=Dense(4, relu)", "seed=7"]))
    hyper = changed["hyperparameters"]
    assert (hyper["epochs"], hyper["learning_rate"], hyper["shuffle"], hyper["batch_size"],
            hyper["optimizer"], hyper["seed"]) == (5, 0.5, False, None, "sgd", 7)
    assert changed["dataset"]["noise"] == 0.3 and changed["model"][0] == "Dense(4, relu)"
    assert base["hyperparameters"]["epochs"] == 60  # the original is untouched
    for bad in (["epochs=1.5"], ["learning_rate=-1"], ["shuffle=maybe"], ["colour=red"],
                ["model.9=Dense(1)"], ["model.0=Conv(3)"], ["dataset.name=iris"], ["epochs"]):
        with pytest.raises(ExerciseError):
            apply_overrides(base, parse_assignments(bad))
    with pytest.raises(ExerciseError, match="cannot be changed"):
        apply_overrides(base, {"momentum": "0.9"}, allowed=base["controls"])
    assert apply_overrides(base, {"epochs": 3}, allowed=base["controls"])


def test_prepare_reports_data_and_shape_problems():
    with pytest.raises(ExerciseError, match="dataset"):
        prepare(_xor(dataset={"name": "xor", "wiggle": 2}))
    with pytest.raises(ExerciseError, match="return_sequences"):
        prepare(_xor(model=["LSTM(4)", "LSTM(4)"], input_shape=[2, 1]))
    with pytest.raises(ExerciseError, match="binary task"):
        prepare(_xor(task="multiclass", model=["Dense(2, softmax)"]))


def test_playground_exercises_validate_but_do_not_train():
    playground = {"id": "curves", "playground": "activations"}
    assert validate_exercise(playground) == playground
    with pytest.raises(ExerciseError, match="playground"):
        prepare(playground)
    with pytest.raises(ExerciseError, match="playground"):
        apply_overrides(playground, {"epochs": "3"})


def test_goal_met():
    goal = {"metric": "val_accuracy", "op": ">=", "value": 0.9}
    assert goal_met(goal, {"val_accuracy": 0.9})
    assert not goal_met(goal, {"val_accuracy": 0.89})
    assert not goal_met(goal, {"accuracy": 1.0})
    assert not goal_met(goal, {"val_accuracy": float("nan")})
    assert goal_met({"metric": "val_loss", "op": "<", "value": 0.1}, {"val_loss": 0.05})
    assert not goal_met(None, {"val_loss": 0.05})


def _cli(*argv):
    out = io.StringIO()
    code = cli.main(list(argv), out=out)
    return code, out.getvalue()


def test_cli_trains_with_keras_like_lines(tmp_path):
    path = tmp_path / "seq.pt"
    code, out = _cli("train", "seq003", "--set", "epochs=3", "--save", str(path))
    assert code == cli.EXIT_GOAL_NOT_MET  # trained and saved, the goal still far away
    lines = out.splitlines()
    epochs = [line for line in lines if line.startswith("Epoch ")]
    assert len(epochs) == 3
    assert epochs[2].startswith("Epoch 3/3 - ") and "s - loss: " in epochs[2]
    assert "val_loss: " in epochs[2]
    assert any(line.startswith("Finished after 3 epochs") for line in lines)
    assert "Goal loss <= 0.01: not met" in out and "Predictions:" in out
    assert load_checkpoint(path).extra == {"exercise": "seq003"}


def test_cli_trains_on_the_device_it_is_given(monkeypatch):
    """--device goes through pick_device to the training loop, which reports it; "auto" is
    the best device present (the CPU here, pretended CUDA is asked for and not present)."""
    chosen = []
    real = cli_runtime.pick_device
    monkeypatch.setattr(cli_runtime, "pick_device", lambda name: chosen.append(name) or real(name))
    code, out = _cli("train", "mlp_xor", "--set", "epochs=1", "--device", "cpu")
    assert code == cli.EXIT_GOAL_NOT_MET and chosen == ["cpu"]
    assert out.splitlines()[0].endswith(", cpu")
    code, out = _cli("train", "mlp_xor", "--set", "epochs=1")
    assert code == cli.EXIT_GOAL_NOT_MET and chosen == ["cpu", "auto"]


def test_cli_summary_and_list():
    code, out = _cli("summary", "seq003")
    assert code == 0 and "Total params: 491" in out and "lstm (LSTM)" in out
    code, out = _cli("list")
    assert code == 0 and "mlp_xor" in out and "lm_hafez" in out


@pytest.mark.parametrize("argv, fragment", [
    (["train", "no_such_exercise"], "unknown exercise"),
    (["train", "seq003", "--set", "epochs=many"], "epochs"),
    (["train", "seq003", "--set", "colour=red"], "unknown setting"),
    (["train", "seq003", "--set", "epochs"], "key=value"),
    (["fly"], "invalid choice"),
    (["train", "seq003", "--device", "gpu"], "invalid choice"),
    ([], "required"),
])
def test_cli_usage_errors_exit_2(argv, fragment, capsys):
    code, _ = _cli(*argv)
    assert code == 2 and fragment in capsys.readouterr().err


def test_cli_reads_an_exercise_from_a_lesson_file(tmp_path):
    lesson = {"exercises": [get_exercise("mlp_xor") | {"id": "first"},
                            get_exercise("perceptron_linear") | {"id": "second"}]}
    path = tmp_path / "lesson.yaml"
    path.write_text(yaml.safe_dump(lesson), encoding="utf-8")
    code, out = _cli("train", f"{path}:second", "--set", "epochs=2", "--quiet")
    assert code == 0 and "Finished after 2 epochs" in out and "Epoch 1/2" not in out
    code, _ = _cli("train", str(path))  # two exercises: which one?
    assert code == 2
    single = tmp_path / "one.json"
    single.write_text(json.dumps(get_exercise("mlp_xor")), encoding="utf-8")
    code, out = _cli("summary", str(single))
    assert code == 0 and "Total params: 33" in out


def test_cli_exit_code_says_whether_the_goal_was_met(tmp_path):
    """3 when the exercise trained but missed its goal (one epoch of XOR, goal 95 %), 0 when
    it met it or has none; said in `train --help`."""
    code, out = _cli("train", "mlp_xor", "--set", "epochs=1", "--quiet")
    assert (code, cli.EXIT_GOAL_NOT_MET) == (3, 3)
    assert "Goal val_accuracy >= 0.95: not met" in out
    easy = get_exercise("mlp_xor") | {"goal": {"metric": "val_loss", "op": "<=", "value": 100}}
    (tmp_path / "easy.json").write_text(json.dumps(easy), encoding="utf-8")
    code, out = _cli("train", str(tmp_path / "easy.json"), "--set", "epochs=1", "--quiet")
    assert code == cli.EXIT_OK and "Goal val_loss <= 100: met" in out
    aimless = get_exercise("mlp_xor")
    del aimless["goal"]
    (tmp_path / "aimless.json").write_text(json.dumps(aimless), encoding="utf-8")
    code, out = _cli("train", str(tmp_path / "aimless.json"), "--set", "epochs=1", "--quiet")
    assert code == cli.EXIT_OK and "Goal" not in out


def test_train_help_states_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["train", "--help"])
    assert exit_info.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "3 trained but the goal was not met" in help_text
    assert "1 the run failed" in help_text


def test_cli_failed_run_exits_1(tmp_path, capsys):
    exercise = get_exercise("mlp_xor")
    exercise["hyperparameters"].update(optimizer="sgd", learning_rate=10.0, epochs=50)
    exercise["loss"] = "mse"
    exercise["model"] = ["Dense(64, relu)", "Dense(64, relu)", "Dense(1, linear)"]
    path = tmp_path / "explode.json"
    path.write_text(json.dumps(exercise), encoding="utf-8")
    code, _ = _cli("train", str(path), "--quiet")
    assert code == 1 and "nan_loss" in capsys.readouterr().err


def test_python_dash_m_engine_cli():
    result = subprocess.run([sys.executable, "-m", "hafiza.engine.cli", "summary", "mlp_xor"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Total params: 33" in result.stdout
    result = subprocess.run([sys.executable, "-m", "hafiza.engine.cli", "train", "nope"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "unknown exercise" in result.stderr


def test_checking_exercises_does_not_import_torch():
    probe = ("import sys; from hafiza.engine.exercises import get_exercise, validate_exercise; "
             "[validate_exercise(get_exercise(n)) for n in ('seq003', 'lm_hafez')]; "
             "import hafiza.engine.cli; print('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_an_exercise_on_texts_in_every_variety_reads_the_learners():
    from hafiza.engine.exercises import in_variety

    lessons = get_exercise("lm_lessons")
    assert lessons["dataset"]["name"] == "lessons"
    assert in_variety(lessons, "fa")["dataset"]["variety"] == "fa"
    assert lessons["dataset"]["variety"] == "ary"  # the original is left as it was
    hafez = get_exercise("lm_hafez")
    assert in_variety(hafez, "fa") == hafez  # one language only: unchanged


def test_cli_trains_a_language_model_on_the_learners_own_text(tmp_path):
    """--set dataset.text_file=PATH: the learner's file, read wherever it is (it was typed),
    in Windows Arabic here, replaces the exercise's text."""
    own = tmp_path / "mine.txt"
    own.write_bytes(("القط جلس على السجادة. الكلب جلس على السجادة.\n" * 60).encode("cp1256"))
    code, out = _cli("train", "lm_lessons", "--set", f"dataset.text_file={own}",
                     "--set", "epochs=1")
    assert code in (cli.EXIT_OK, cli.EXIT_GOAL_NOT_MET), out
    assert "Epoch 1/1 - " in out
    assert "Counting baseline (Kneser-Ney trigram): val_perplexity: " in out
    exercise = apply_overrides(get_exercise("lm_lessons"), {"dataset.text_file": str(own)})
    assert exercise["dataset"]["name"] == "text_file"
    assert exercise["dataset"]["path"] == str(own)


def test_train_on_the_backprop_playground_prints_its_walk():
    """A playground that stands alone has nothing to train; `train` prints its steps (the
    same numbers the window shows) instead of refusing."""
    out = io.StringIO()
    assert cli.main(["train", "backprop-steps"], out=out) == cli.EXIT_OK
    lines = out.getvalue().splitlines()
    assert len(lines) == 30
    assert lines[0].split()[0] == "sum" and lines[0].endswith("= 0.45")


def test_train_the_tagger_reports_entity_f1_beside_the_baseline():
    """The lesson's tagger trains headless and ends with its F1 on held-out sentences and
    the most-frequent-tag baseline's (issue 19: the tagger against counting)."""
    out = io.StringIO()
    code = cli.main(["train", "tagger", "--quiet", "--set", "epochs=1",
                     "--set", "dataset.n_samples=200"], out=out)
    assert code in (cli.EXIT_OK, cli.EXIT_GOAL_NOT_MET)
    line = next(x for x in out.getvalue().splitlines() if x.startswith("Entity F1"))
    assert "held-out sentences" in line and "most frequent tag per word" in line

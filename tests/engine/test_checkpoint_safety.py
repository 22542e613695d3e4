"""Checkpoints survive a kill in the middle of a save, leave nothing behind that the next
start does not sweep, and a checkpoint from someone else cannot make the app allocate a model
its weights could never fill."""

import pytest
import torch

from hafiza.engine import checkpoints
from hafiza.engine.checkpoints import (
    CheckpointError,
    load_checkpoint,
    save_checkpoint,
    sweep_partial_files,
)
from hafiza.engine.files import PARTIAL_SUFFIX
from hafiza.engine.models import build_model

torch.set_num_threads(1)


def _model():
    torch.manual_seed(0)
    return build_model(["Dense(4, relu)", "Dense(1, sigmoid)"], (2,))


def test_a_save_cut_short_keeps_the_previous_checkpoint_whole(tmp_path, monkeypatch):
    path = tmp_path / "run.pt"
    save_checkpoint(path, _model(), metrics={"loss": 0.5})
    before = path.read_bytes()
    real_save = torch.save

    def dies_halfway(payload, file):
        file.write(b"PK\x03\x04 half of a checkpoint")
        raise KeyboardInterrupt  # as a kill or a full disk would stop it

    monkeypatch.setattr(checkpoints.torch, "save", dies_halfway)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(path, _model(), metrics={"loss": 0.1})
    monkeypatch.setattr(checkpoints.torch, "save", real_save)
    assert path.read_bytes() == before
    assert load_checkpoint(path).metrics == {"loss": 0.5}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.pt"]


def test_a_save_never_shows_a_partial_file_under_the_real_name(tmp_path, monkeypatch):
    seen = []

    def watch(payload, file):
        seen.append((file.name, (tmp_path / "run.pt").exists()))
        torch.serialization.save(payload, file)

    monkeypatch.setattr(checkpoints.torch, "save", watch)
    save_checkpoint(tmp_path / "run.pt", _model())
    (written, final_existed), = seen
    assert written.endswith(PARTIAL_SUFFIX) and not final_existed
    assert (tmp_path / "run.pt").exists()


def test_sweep_removes_the_leftovers_of_killed_saves_and_nothing_else(tmp_path):
    save_checkpoint(tmp_path / "kept.pt", _model())
    for n in range(3):
        (tmp_path / f"run{n}.pt.123{PARTIAL_SUFFIX}").write_bytes(b"half")
    (tmp_path / "notes.txt").write_text("mine")
    assert sweep_partial_files(tmp_path) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.pt", "notes.txt"]
    assert sweep_partial_files(tmp_path) == 0
    assert sweep_partial_files(tmp_path / "absent") == 0


def test_sweep_defaults_to_the_apps_models_folder(hafiza_home):
    from hafiza.paths import data_dir

    folder = data_dir() / "models"
    folder.mkdir(parents=True)
    (folder / f"a.pt.1{PARTIAL_SUFFIX}").write_bytes(b"half")
    assert sweep_partial_files() == 1 and not any(folder.iterdir())


def _forged(path, spec, input_shape=(2,)):
    """A checkpoint whose spec was changed after saving (as an edited progress import)."""
    save_checkpoint(path, _model())
    payload = torch.load(path, weights_only=True)
    payload["spec"] = spec
    payload["input_shape"] = list(input_shape) if input_shape is not None else None
    torch.save(payload, path)
    return path


@pytest.mark.parametrize("spec", [
    ["Dense(10000000)", "Dense(10000000)"],
    ["Embedding(10000000, 10000000)"],
    ["LSTM(10000000)", "Dense(1)"],
    ["Dense(5, relu)", "Dense(1, sigmoid)"],  # a little more than the weights hold
])
def test_a_spec_larger_than_its_weights_is_refused_before_it_is_built(tmp_path, monkeypatch,
                                                                      spec):
    path = _forged(tmp_path / "big.pt", spec,
                   (1, 2) if spec[0].startswith("LSTM") else
                   None if spec[0].startswith("Embedding") else (2,))

    def never(*args, **kwargs):
        raise AssertionError("the model was built")

    monkeypatch.setattr(checkpoints, "build_model", never)
    with pytest.raises(CheckpointError, match="do not fit"):
        load_checkpoint(path)


def test_a_spec_the_machine_cannot_hold_is_refused_even_with_its_weights(tmp_path,
                                                                         monkeypatch):
    path = tmp_path / "run.pt"
    save_checkpoint(path, _model())
    monkeypatch.setattr("hafiza.engine.budget.memory_budget", lambda: 100)
    with pytest.raises(CheckpointError, match="too large"):
        load_checkpoint(path)


@pytest.mark.parametrize("shape", ["abc", [2, "x"], {"a": 1}])
def test_a_malformed_input_shape_is_refused(tmp_path, shape):
    path = _forged(tmp_path / "odd.pt", ["Dense(4, relu)", "Dense(1, sigmoid)"], None)
    payload = torch.load(path, weights_only=True)
    payload["input_shape"] = shape
    torch.save(payload, path)
    with pytest.raises(CheckpointError):
        load_checkpoint(path)


def test_a_real_checkpoint_still_loads(tmp_path):
    path = tmp_path / "run.pt"
    model = _model()
    save_checkpoint(path, model, metrics={"accuracy": 1.0})
    loaded = load_checkpoint(path)
    x = torch.ones(3, 2)
    assert torch.equal(loaded.model(x), model.eval()(x))

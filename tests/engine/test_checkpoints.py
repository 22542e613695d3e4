"""Checkpoints hold plain data only and refuse anything else."""

import os
import pickle

import pytest
import torch

from hafiza.engine.checkpoints import FORMAT, CheckpointError, load_checkpoint, save_checkpoint
from hafiza.engine.models import build_model

torch.set_num_threads(1)
SPEC = ["Embedding(30, 8)", "Bidirectional(LSTM(4, return_sequences=True))",
        "GlobalMaxPool", "Dense(3, softmax)"]


def _model():
    torch.manual_seed(0)
    return build_model(SPEC)


def test_round_trip_keeps_weights_spec_vocabulary_and_metrics(tmp_path):
    model = _model()
    vocab = {"words": ["<pad>", "<oov>", "salam"], "oov_token": "<oov>"}
    path = tmp_path / "run.pt"
    save_checkpoint(path, model, vocab, {"val_accuracy": 0.9, "loss": 0.25},
                    {"exercise": "demo", "epochs": 3})
    loaded = load_checkpoint(path)
    x = torch.randint(0, 30, (4, 6))
    assert torch.equal(loaded.model(x), model.eval()(x))
    assert loaded.model.spec == model.spec and loaded.vocab == vocab
    assert loaded.metrics == {"val_accuracy": 0.9, "loss": 0.25}
    assert loaded.extra == {"exercise": "demo", "epochs": 3}
    # weights_only=True must be able to read every part of it.
    assert torch.load(path, weights_only=True)["format"] == FORMAT


def test_seq003_shape_model_round_trip(tmp_path):
    torch.manual_seed(1)
    model = build_model(["LSTM(10)", "Dense(1, linear)"], (1, 1))
    save_checkpoint(tmp_path / "m.pt", model)
    loaded = load_checkpoint(tmp_path / "m.pt").model
    assert loaded.input_shape == (1, 1)
    x = torch.rand(4, 1, 1)
    assert torch.equal(loaded(x), model.eval()(x))


class _Payload:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_a_pickled_object_is_refused(tmp_path):
    path = tmp_path / "evil.pt"
    torch.save({"format": FORMAT, "version": 1, "spec": SPEC, "payload": _Payload()}, path)
    with pytest.raises(CheckpointError, match="not a safe"):
        load_checkpoint(path)
    plain_pickle = tmp_path / "evil.pkl"
    plain_pickle.write_bytes(pickle.dumps(_Payload()))
    with pytest.raises(CheckpointError):
        load_checkpoint(plain_pickle)


def test_wrong_shapes_and_other_files_are_refused(tmp_path):
    model = _model()
    path = tmp_path / "m.pt"
    save_checkpoint(path, model)
    payload = torch.load(path, weights_only=True)
    payload["spec"][0] = {"type": "Embedding", "input_dim": 31, "output_dim": 8}
    torch.save(payload, path)
    with pytest.raises(CheckpointError, match="do not fit"):
        load_checkpoint(path)

    payload["spec"] = ["Conv2D(3)"]
    torch.save(payload, path)
    with pytest.raises(CheckpointError, match="spec is invalid"):
        load_checkpoint(path)

    torch.save({"weights": torch.zeros(3)}, path)
    with pytest.raises(CheckpointError, match="not a Hafiza checkpoint"):
        load_checkpoint(path)
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint at all")
    with pytest.raises(CheckpointError):
        load_checkpoint(tmp_path / "junk.pt")
    with pytest.raises(CheckpointError, match="cannot read"):
        load_checkpoint(tmp_path / "missing.pt")

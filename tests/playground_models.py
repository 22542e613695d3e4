"""Untrained tiny models of each kind a playground looks into, for tests of the playgrounds'
layout and wording (which do not depend on what a model has learned)."""

from __future__ import annotations


def untrained_runs() -> dict:
    """{"language_model", "classifier", "regression", "tagger"}: objects with what a
    playground reads from a run (model, vocab, data); the regression one is a real prepared
    seq003 run, the tagger a prepared bidirectional tagger on a few Persian sentences."""
    import torch

    from hafiza.engine.exercises import get_exercise, prepare
    from hafiza.engine.models import build_model
    from hafiza.engine.text import Vocabulary

    torch.manual_seed(0)
    vocab = Vocabulary.build(["a good film with great acting", "a bad boring story"])
    size = len(vocab)
    language_model = build_model([f"Embedding({size}, 8)", "LSTM(8, return_sequences=True)",
                                  f"Dense({size}, softmax)"])
    classifier = build_model([f"EmbeddingBag({size}, 8)", "Dense(1, sigmoid)"])

    def run(model):
        return type("Run", (), {"model": model, "vocab": vocab, "data": None})()

    tagger = prepare({"id": "tagger", "task": "tagging",
                      "dataset": {"name": "entities", "variety": "fa", "n_samples": 40},
                      "model": ["Embedding(vocab_size, 8)",
                                "Bidirectional(LSTM(8, return_sequences=True))",
                                "Dense(n_classes, softmax)"],
                      "loss": "categorical_crossentropy",
                      "hyperparameters": {"epochs": 1}})
    return {"language_model": run(language_model), "classifier": run(classifier),
            "regression": prepare(get_exercise("seq003")), "tagger": tagger}

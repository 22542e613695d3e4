"""Hafiza's learning engine: models, data, tokenizers, training and generation.

It knows nothing of Qt, so tests, benchmarks and the command line can drive it alone.
Import submodules directly; importing this package does not import torch.
"""

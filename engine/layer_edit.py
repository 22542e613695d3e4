"""The one number of a layer that a learner may change, found in the layer's text.

An exercise lets the learner change a layer of its model: the units of a Dense or recurrent
layer (also inside ``Bidirectional(...)``), with the choice of recurrent cell, or the vector
size of an embedding. The form shows the number and writes the layer's text back with the
new value, leaving every other argument as the lesson wrote it::

    layer = editable_layer("Bidirectional(GRU(32, return_sequences=True))")
    layer.text("LSTM", 16)  # 'Bidirectional(LSTM(16, return_sequences=True))'

No Qt and no torch: the lesson checker and the UI can both use it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from hafiza.engine.layers import MAX_SIZE, POOLING_TYPES, RECURRENT_TYPES
from hafiza.engine.tables import Limit

__all__ = ["SIZE_LIMIT", "EditableLayer", "editable_layer", "is_pooling"]

# The range the edited number accepts: the spec validator's (engine.layers).
SIZE_LIMIT = Limit(1, MAX_SIZE, whole=True)

_UNIT_TYPES = ("Dense", *RECURRENT_TYPES)
_UNITS_TEXT = re.compile(
    rf"^\s*(Bidirectional\(\s*)?({'|'.join(_UNIT_TYPES)})\(\s*()(\d+)(.*)$", re.DOTALL)
# An embedding's number is its second argument, the vector size: its first, the vocabulary
# size, was once read as units and capped.
_VECTOR_TEXT = re.compile(r"^\s*()(Embedding|EmbeddingBag)\(\s*(\w+\s*,\s*)(\d+)(.*)$",
                          re.DOTALL)


class EditableLayer(NamedTuple):
    """A layer's text split around the number a learner may change:
    'Bidirectional(GRU(32, return_sequences=True))' -> ('Bidirectional(', 'GRU', '', 32,
    ', return_sequences=True))'); 'EmbeddingBag(10000, 16)' -> ('', 'EmbeddingBag',
    '10000, ', 16, ')')."""

    wrapper: str
    kind: str
    lead: str
    value: int
    rest: str

    @property
    def is_vector_size(self) -> bool:
        """The number is an embedding's vector size, not a layer's units."""
        return self.kind.startswith("Embedding")

    @property
    def kinds(self) -> tuple[str, ...]:
        """The layer types that may stand in for this one: any recurrent cell for a
        recurrent layer, only itself otherwise."""
        return RECURRENT_TYPES if self.kind in RECURRENT_TYPES else (self.kind,)

    def text(self, kind: str | None = None, value: int | None = None) -> str:
        """The layer's text with another type (one of `kinds`) and/or number."""
        kind = kind or self.kind
        if kind not in self.kinds:
            raise ValueError(f"a {self.kind} layer cannot become a {kind}")
        value = self.value if value is None else value
        return f"{self.wrapper}{kind}({self.lead}{value}{self.rest}"


def editable_layer(text: str) -> EditableLayer | None:
    """The layer's editable number, or None for a layer without one (Dropout, pooling)."""
    match = _UNITS_TEXT.match(text) or _VECTOR_TEXT.match(text)
    if not match:
        return None
    wrapper, kind, lead, value, rest = match.groups()
    return EditableLayer(wrapper or "", kind, lead, int(value), rest)


def is_pooling(text: str) -> bool:
    """A pooling layer, which the learner may swap for another pooling (POOLING_TYPES)."""
    return text.strip() in POOLING_TYPES

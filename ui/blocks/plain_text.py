"""Showing an author's words as words: Qt reads any text that looks like markup as rich text
(`Qt::mightBeRichText`) in labels and tooltips, and rich text loads the images it names."""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """`text` as a tooltip that shows it as it is: escaped, and marked as rich text on purpose
    (plain-looking text would be shown raw, entities and all)."""
    return f'<p style="white-space:pre-wrap">{html.escape(str(text))}</p>'

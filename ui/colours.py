"""The colours of Hafiza's own drawings, each named once: curves, playgrounds, notes, quiz
verdicts, error lines, and the lessons' SVG figures (tools/figures.py). Qt-free strings, so
the figure tool and tests can read them without a QApplication.

The theme's window colours (light and dark palettes) are in ``ui.theme``.
"""

BLUE = "#2f6fdf"  # training curves, the first of several series, the LSTM
ORANGE = "#e67e22"  # validation curves
GREEN = "#27ae60"  # a positive word, a third series
PURPLE = "#8e44ad"
RED = "#c0392b"  # errors, a negative word, the SimpleRNN, a problem note
TEAL = "#16a085"
MUTED = "#7b8794"  # earlier runs, faded
SERIES = (BLUE, ORANGE, GREEN, PURPLE, RED, TEAL)

ERROR = RED
# Errors on the dark theme: RED is 3.0:1 on its window colour, this 6.4:1 (WCAG AA is 4.5).
# Pick with ui.theme.error_colour(); switching themes swaps one for the other in style sheets.
ERROR_ON_DARK = "#ff7b72"
CORRECT = "#2e9d5b"  # a right answer, a tip
NOTE = "#3b82c4"
WARNING = "#d08a1a"

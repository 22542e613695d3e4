"""WCAG 2 contrast between two colours, for the tests that measure readability (≥ 4.5:1 is
the AA level for body text). Colours are QColor or (r, g, b) with 0-255 channels."""

from __future__ import annotations

WCAG_AA = 4.5


def _channels(colour) -> tuple[float, float, float]:
    if hasattr(colour, "getRgbF"):
        red, green, blue = colour.getRgbF()[:3]
        return red, green, blue
    red, green, blue = (float(value) / 255.0 for value in tuple(colour)[:3])
    return red, green, blue


def luminance(colour) -> float:
    """Relative luminance of an sRGB colour."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(ink, paper) -> float:
    high, low = sorted((luminance(ink), luminance(paper)), reverse=True)
    return (high + 0.05) / (low + 0.05)

"""The files beside a lesson's text: its figures (`figures/`) and its data (`data/`).

Every figure is checked for what it is, not for what its name says: an SVG must survive
`svg_safety.clean_svg`, a `.png` must be a PNG (a fake one is refused, whatever it really
is), and no image may exceed the bytes or pixels the page draws. Data files are text an
exercise trains on. Anything else in those folders is a stray file, and a link (to a file
outside the lesson, say) is refused outright.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from hafiza.lessonlib.image_headers import (
    MAX_IMAGE_BYTES,
    MAX_IMAGE_SIDE,
    SUFFIX_KINDS,
    image_info,
)
from hafiza.lessonlib.model import Problem
from hafiza.lessonlib.svg_safety import MAX_SVG_BYTES, SvgRefused, clean_svg

FIGURES = "figures"
DATA = "data"
DATA_SUFFIXES = (".txt", ".md")
MAX_DATA_BYTES = 8 * 1024 * 1024
_KIND_NAMES = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WebP", "svg": "SVG"}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def figure_problem(inner: str, data: bytes) -> str | None:
    """Why the figure `inner` (its bytes `data`) may not be shown, or None."""
    kind = SUFFIX_KINDS.get(PurePosixPath(inner).suffix.lower())
    if kind is None:
        return None  # stray files are reported by `folder_problems`
    if kind == "svg":
        try:
            clean_svg(data)
        except SvgRefused as refused:
            return f"SVG figure refused: {refused.reason}"
        return None
    if len(data) > MAX_IMAGE_BYTES:
        return f"the image is larger than {_megabytes(MAX_IMAGE_BYTES)}"
    info = image_info(data)
    if info is None or info.kind != kind:
        found = f"a {_KIND_NAMES[info.kind]} file" if info else "not an image"
        return (f"the file is named .{PurePosixPath(inner).suffix.lower()[1:]} but is "
                f"{found}: its content must match its extension")
    if info.too_large:
        return (f"the image is {info.width} x {info.height} pixels; at most "
                f"{MAX_IMAGE_SIDE} x {MAX_IMAGE_SIDE} are shown")
    return None


def folder_problems(source) -> list[Problem]:
    """Problems of every file under figures/ and data/ of a lesson (a FolderSource or a
    MemorySource), each at the file itself."""
    problems: list[Problem] = []
    for top, allowed in ((FIGURES, tuple(SUFFIX_KINDS)), (DATA, DATA_SUFFIXES)):
        for inner in source.files_under(top):
            path = source.path(inner)
            if source.is_link(inner):
                problems.append(Problem(path, 1, "a link is not allowed in a lesson folder: "
                                                 "copy the file itself"))
                continue
            if PurePosixPath(inner).suffix.lower() not in allowed:
                problems.append(Problem(path, 1, f"unexpected file in {top}/ (allowed: "
                                                 f"{', '.join(allowed)}); it is not packed",
                                        "warning"))
                continue
            limit = MAX_SVG_BYTES if inner.lower().endswith(".svg") else (
                MAX_IMAGE_BYTES if top == FIGURES else MAX_DATA_BYTES)
            if source.size(inner) > limit:
                problems.append(Problem(path, 1, f"the file is larger than {_megabytes(limit)}"))
                continue
            if top == FIGURES:
                message = figure_problem(inner, source.read(inner) or b"")
                if message:
                    problems.append(Problem(path, 1, message))
    return problems

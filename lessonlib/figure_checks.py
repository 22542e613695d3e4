"""The files beside a lesson's text: its figures (`figures/`) and its data (`data/`).

Every figure is checked for what it is, not for what its name says: an SVG must survive
`svg_safety.clean_svg`, a `.png` must be a PNG (a fake one is refused, whatever it really
is), and no image may exceed the bytes or pixels the page draws. Data files are text an
exercise trains on. Anything else in those folders is a stray file, and a link (to a file
outside the lesson, say) is refused outright.
"""

from __future__ import annotations

from pathlib import PurePosixPath

# DATA stays importable from here (checker.py); the data/ rules are data_files.py's.
from hafiza.lessonlib.data_files import (  # noqa: F401
    DATA,
    data_folder_problems,
    link_problem,
    megabytes,
)
from hafiza.lessonlib.image_headers import (
    MAX_IMAGE_BYTES,
    MAX_IMAGE_SIDE,
    SUFFIX_KINDS,
    image_info,
)
from hafiza.lessonlib.model import VARIETY_TAGS, Problem
from hafiza.lessonlib.svg_findings import svg_findings
from hafiza.lessonlib.svg_safety import MAX_SVG_BYTES, SvgRefused, clean_svg
from hafiza.words import _

FIGURES = "figures"
_KIND_NAMES = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WebP", "svg": "SVG"}


def _size(size: int) -> str:
    """A file's size for a message: 20.3 MB, 512 KB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def figure_problem(inner: str, data: bytes) -> str | None:
    """Why the figure `inner` (its bytes `data`) may not be shown, or None."""
    kind = SUFFIX_KINDS.get(PurePosixPath(inner).suffix.lower())
    if kind is None:
        return None  # stray files are reported by `folder_problems`
    if kind == "svg":
        try:
            clean_svg(data)
        except SvgRefused as refused:
            return _("SVG figure refused: {reason}").format(reason=refused.words)
        return None
    if len(data) > MAX_IMAGE_BYTES:
        return _("the image is larger than {size}").format(size=megabytes(MAX_IMAGE_BYTES))
    info = image_info(data)
    if info is None or info.kind != kind:
        suffix = PurePosixPath(inner).suffix.lower()[1:]
        if info is None:
            return _("the file is named .{suffix} but is not an image: its content must match "
                     "its extension").format(suffix=suffix)
        return _("the file is named .{suffix} but is a {kind} file: its content must match "
                 "its extension").format(suffix=suffix, kind=_KIND_NAMES[info.kind])
    if info.too_large:
        return _("the image is {width} x {height} pixels; at most {side} x {side} are shown"
                 ).format(width=info.width, height=info.height, side=MAX_IMAGE_SIDE)
    return None


def figure_problems(path, inner: str, data: bytes) -> list[Problem]:
    """Everything wrong with one figure: refused as a whole (at line 1), or, for an SVG that
    is drawn, what the learner will not see of it (at its line in the SVG)."""
    message = figure_problem(inner, data)
    if message:
        return [Problem(path, 1, message)]
    if SUFFIX_KINDS.get(PurePosixPath(inner).suffix.lower()) != "svg":
        return []
    return [Problem(path, finding.line, finding.message, finding.severity)
            for finding in svg_findings(data)]


def unused_figure_problems(source) -> list[Problem]:
    """A warning for each figure no text of the lesson names: it travels in every pack and
    no learner sees it (a left-over, or a misspelt name in the text)."""
    texts = [(source.read(f"{tag}.md") or b"").decode("utf-8", "replace")
             for tag in VARIETY_TAGS if source.exists(f"{tag}.md")]
    problems = []
    for inner in source.files_under(FIGURES):
        kind = SUFFIX_KINDS.get(PurePosixPath(inner).suffix.lower())
        if kind and not source.is_link(inner) and not any(inner in text for text in texts):
            problems.append(Problem(source.path(inner), 1, _(
                "no text of the lesson shows this figure: name it in a text ({markdown}) or "
                "delete it").format(markdown=f"![caption]({inner})"), "warning"))
    return problems


def folder_problems(source) -> list[Problem]:
    """Problems of every file under figures/ and data/ of a lesson (a FolderSource or a
    MemorySource), each at the file itself."""
    problems: list[Problem] = []
    allowed = tuple(SUFFIX_KINDS)
    for inner in source.files_under(FIGURES):  # data/: data_files.py
        path = source.path(inner)
        if source.is_link(inner):
            problems.append(link_problem(path))
            continue
        if PurePosixPath(inner).suffix.lower() not in allowed:
            problems.append(Problem(path, 1, _(
                "unexpected file in {folder}/ (allowed: {allowed}): `lessons export` "
                "refuses it; move it out of the lesson folder").format(
                    folder=FIGURES, allowed=", ".join(allowed)), "warning"))
            continue
        limit = MAX_SVG_BYTES if inner.lower().endswith(".svg") else MAX_IMAGE_BYTES
        size = source.size(inner)
        if size > limit:
            problems.append(Problem(path, 1, _(
                "the file is {size}, larger than the {limit} a figure may have: save it "
                "smaller (fewer pixels, PNG for drawings, JPEG for photos)").format(
                    size=_size(size), limit=megabytes(limit))))
            continue
        problems.extend(figure_problems(path, inner, source.read(inner) or b""))
    problems.extend(unused_figure_problems(source))
    problems.extend(data_folder_problems(source))
    return problems

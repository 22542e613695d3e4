"""What an author should hear about an SVG figure that is drawn, but not as drawn in their
editor: what the sanitiser (`svg_safety.clean_svg`) removes without a word, and what Qt's
SVG renderer (QtSvg 6.11) leaves out or draws wrong.

The sanitiser's removals are errors: a script that never runs, a picture linked from the
author's disk or the web that never shows, a stylesheet dropped whole because it fetches a
font — the learner sees another figure than the author. What QtSvg cannot draw is a warning:
the figure is still there, with a part missing or black. Each finding is said once per file,
at the line of its first element, with how many more there are. Elements of other XML
namespaces (an editor's own metadata, sodipodi:, inkscape:) are dropped and never drawn
anyway, so they are not reported.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from hafiza.lessonlib.svg_safety import (
    SVG_NS,
    XLINK_NS,
    XML_NS,
    attribute_is_safe,
    element_is_kept,
    parse_svg,
)
from hafiza.words import N_, _, ngettext

# What QtSvg 6.11.3 does not draw, each measured by drawing it beside its plain equivalent
# (tests/lessons/test_figure_checks.py draws them again, so a Qt upgrade that learns one
# fails there). Markers (arrowheads), masks, patterns, gradients and blur filters are drawn.
# The messages are said through `_` where they are found (`_unsupported`).
UNSUPPORTED_ELEMENTS = {
    "textPath": N_("text along a path (<textPath>) is not drawn at all: put the text in a "
                   "plain <text> with x, y and a rotate transform"),
    "feDropShadow": N_("a drop shadow (<feDropShadow>) is not drawn: draw the shadow as a "
                       "shape, or leave it out"),
}
UNSUPPORTED_ATTRIBUTES = {
    "clip-path": N_("clipping (clip-path) is ignored: the whole shape is drawn; cut the "
                    "shape itself instead"),
    "transform-origin": N_("transform-origin is not understood and the shape is misplaced: "
                           "write the rotation as rotate(angle, x, y)"),
}
UNSUPPORTED_VALUES = [
    (re.compile(r"context-(stroke|fill)"), N_("context-stroke and context-fill are drawn "
                                              "black: give the arrowhead its own colour")),
    (re.compile(r"\bvar\s*\("), N_("CSS variables (var(...)) are drawn black: write the "
                                   "colour itself")),
    (re.compile(r"\bhsla?\s*\("), N_("hsl() colours are drawn black: write the colour as "
                                     "#rrggbb")),
]
_STYLE_PROPERTY = re.compile(r"([\w-]+)\s*:\s*([^;]+)")


@dataclass(frozen=True)
class SvgFinding:
    line: int
    message: str
    severity: str  # "error": the sanitiser removes it; "warning": QtSvg does not draw it


def svg_findings(data: bytes) -> list[SvgFinding]:
    """What the learner will not see of this SVG, once per kind, in words. An SVG that
    `clean_svg` refuses as a whole gives none here: the checker says why it is refused."""
    root, lines = parse_svg(data)
    first: dict[tuple[str, str], int] = {}  # (severity, message) -> line of the first case
    counts: dict[tuple[str, str], int] = {}

    def note(element: ET.Element, severity: str, message: str) -> None:
        key = (severity, message)
        first.setdefault(key, lines.get(id(element), 1))
        counts[key] = counts.get(key, 0) + 1

    def walk(element: ET.Element) -> None:
        namespace, local = _split(element.tag)
        if namespace != SVG_NS:
            return  # an editor's own elements: never drawn, not the author's drawing
        if element is not root and not element_is_kept(element):
            note(element, "error", _removed_element(local))
            return
        for name, value in element.attrib.items():
            if _split(name)[0] not in ("", XLINK_NS, XML_NS):
                continue  # an editor's own attribute (inkscape:label): never drawn
            if not attribute_is_safe(name, value):
                note(element, "error", _removed_attribute(name))
        for message in _unsupported(element, local):
            note(element, "warning", message)
        for child in element:
            walk(child)

    walk(root)
    findings = []
    for key, line in first.items():
        severity, message = key
        more = counts[key] - 1
        if more:
            message = ngettext("{message} (and {n} more like it)",
                               "{message} (and {n} more like it)", more).format(
                message=message, n=more)
        findings.append(SvgFinding(line, message, severity))
    return sorted(findings, key=lambda finding: finding.line)


def _split(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _removed_element(local: str) -> str:
    if local == "script":
        return _("the SVG has a <script>, which is removed and never runs: delete it")
    if local == "style":
        return _("this <style> fetches something from outside (@import, url(...), a font) or "
                 "uses \\ escapes, so the whole stylesheet is removed: keep only plain rules")
    if local in ("foreignObject", "iframe", "embed", "object", "audio", "video"):
        return _("{element} is removed and never drawn (an SVG figure may hold only drawing): "
                 "draw it as SVG shapes and text").format(element=f"<{local}>")
    return _("{element} is removed: an animation may not change links, event handlers or "
             "styles").format(element=f"<{local}>")


def _removed_attribute(name: str) -> str:
    local = _split(name)[1]
    if local.lower().startswith("on"):
        return _("the event handler {attribute}=... is removed and never runs (a figure does "
                 "not react to the learner): delete it").format(attribute=local)
    if local in ("href", "src"):
        return _("a link to a file or address outside the SVG is removed, so what it shows is "
                 "missing: embed the picture as data:image/png;base64,... or draw it")
    return _("{attribute}=... refers to something outside the SVG and is removed: refer only "
             "to #ids in the same file").format(attribute=local)


def _unsupported(element: ET.Element, local: str) -> list[str]:
    found = []
    if local in UNSUPPORTED_ELEMENTS:
        found.append(_(UNSUPPORTED_ELEMENTS[local]))
    properties = dict(element.attrib)
    properties.update(_STYLE_PROPERTY.findall(element.get("style", "")))
    for name, value in properties.items():
        if name in UNSUPPORTED_ATTRIBUTES:
            found.append(_(UNSUPPORTED_ATTRIBUTES[name]))
        found.extend(_(message) for pattern, message in UNSUPPORTED_VALUES
                     if pattern.search(value))
    if local == "style":
        css = "".join(element.itertext())
        found.extend(_(message) for pattern, message in UNSUPPORTED_VALUES
                     if pattern.search(css))
        found.extend(_(message) for name, message in UNSUPPORTED_ATTRIBUTES.items()
                     if re.search(rf"(^|[;{{\s]){name}\s*:", css))
    return found

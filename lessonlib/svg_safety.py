"""Making an SVG figure from someone else's pack safe to draw (standard library only, no Qt).

An SVG is XML that can reach outside itself: entities that expand a kilobyte into gigabytes,
`<image href="file:///...">` that draws the learner's own files, scripts, event handlers,
stylesheets that fetch addresses, `<use>` chains that multiply themselves at every level.
`clean_svg` parses with expat the way defusedxml does (any DOCTYPE, entity or processing
instruction is refused before it can expand) and rebuilds the drawing keeping only what
draws: SVG elements, their plain attributes, references to the same document (`#id`) and
PNG/JPEG pictures embedded as base64 within the size caps. What is removed is removed
silently; what cannot be made safe (not XML, too large, too deep, too many elements, a
`<use>` cycle) is an `SvgRefused` whose `reason` says why in one English sentence (and its
`words` in the reader's language, `hafiza.words`).

The checker refuses figures that `clean_svg` refuses, and the figure widget draws only what
it returns, so a pack that skipped the checker is still cleaned when drawn.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from hafiza.lessonlib.image_headers import image_info
from hafiza.words import N_, _

MAX_SVG_BYTES = 2 * 1024 * 1024
MAX_ELEMENTS = 10_000
MAX_DEPTH = 64
# Elements drawn once `<use>` references are followed: a few `<use>` levels of ten copies
# each would otherwise ask the renderer for billions of shapes.
MAX_DRAWN_ELEMENTS = 50_000
MAX_SIDE_PX = 4096

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_PREFIXES = {"": "", XLINK_NS: "xlink:", XML_NS: "xml:"}

# Never drawn, or able to run code or embed another document.
_REMOVED_ELEMENTS = {"script", "foreignObject", "handler", "listener", "iframe", "embed",
                     "object", "audio", "video"}
_ANIMATIONS = {"animate", "set", "animateMotion", "animateTransform", "animateColor"}
# Attributes that name another resource; anything but `#id` or an embedded picture goes.
_REFERENCE_ATTRIBUTES = {"href", "src"}
_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_SAME_DOCUMENT = re.compile(r"#[A-Za-z_][\w.\-:]*")
_EMBEDDED_PICTURE = re.compile(r"data:image/(png|jpeg|jpg);base64,(.*)", re.IGNORECASE | re.DOTALL)
_LENGTH = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*"
                     r"(px|pt|pc|mm|cm|in|em|ex|%)?\s*")
_PX_PER_UNIT = {None: 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4,
                "cm": 96 / 2.54, "in": 96.0, "em": 16.0, "ex": 8.0}


class SvgRefused(ValueError):
    """An SVG that cannot be made safe; `reason` is one short English sentence (the window
    picks the learner's words by what it is about), `words` the same in the current language
    (the checker's message). `reason` is the message marked with N_, formatted with `values`."""

    def __init__(self, reason: str, **values):
        english = reason.format(**values)
        super().__init__(english)
        self.reason = english
        self.words = _(reason).format(**values)


def clean_svg(data: bytes) -> bytes:
    """The SVG rebuilt with only what is safe to draw, as UTF-8; SvgRefused if it cannot be."""
    root, _lines = parse_svg(data)
    _clean_element(root)
    _check_drawn_elements(root)
    return _serialise(root).encode("utf-8")


def parse_svg(data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """The SVG's tree, before cleaning, and the line each element starts on (by `id` of the
    element, for the checker's messages); SvgRefused as `clean_svg`."""
    if len(data) > MAX_SVG_BYTES:
        raise SvgRefused(N_("The SVG is larger than {size} MB."),
                         size=MAX_SVG_BYTES // (1024 * 1024))
    if data[:2] == b"\x1f\x8b":
        raise SvgRefused(N_("Compressed SVG (svgz) is not accepted; save it as plain SVG."))
    lines: dict[int, int] = {}
    root = _parse(data, lines)
    _normalise_namespace(root)
    if root.tag != _svg("svg"):
        raise SvgRefused(N_("The file is XML but not an SVG image."))
    _check_size(root)
    return root, lines


def _svg(local: str) -> str:
    return f"{{{SVG_NS}}}{local}"


def _split(name: str) -> tuple[str, str]:
    """(namespace, local name) of a '{ns}local' or 'local' name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


# -- parsing ------------------------------------------------------------------------------


def _parse(data: bytes, lines: dict[int, int]) -> ET.Element:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[ET.Element] = []
    built: list[ET.Element] = []

    def qualified(name: str) -> str:
        # expat gives "ns}local" for namespaced names; ElementTree wants "{ns}local".
        return "{" + name if "}" in name else name

    def start(name: str, attributes: dict[str, str]) -> None:
        if len(built) >= MAX_ELEMENTS:
            raise SvgRefused(N_("The SVG has more than {count} elements."), count=MAX_ELEMENTS)
        if len(stack) >= MAX_DEPTH:
            raise SvgRefused(N_("The SVG nests elements more than {count} levels deep."),
                             count=MAX_DEPTH)
        element = ET.Element(qualified(name),
                             {qualified(key): value for key, value in attributes.items()})
        if stack:
            stack[-1].append(element)
        stack.append(element)
        built.append(element)
        lines[id(element)] = parser.CurrentLineNumber

    def end(_name: str) -> None:
        stack.pop()

    def text(content: str) -> None:
        if not stack:
            return
        parent = stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + content
        else:
            parent.text = (parent.text or "") + content

    def refuse(message: str):
        def handler(*_args) -> None:
            raise SvgRefused(message)
        return handler

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse(
        N_("The SVG declares a DOCTYPE, which is not accepted."))
    parser.EntityDeclHandler = refuse(N_("The SVG declares entities, which are not accepted."))
    parser.ProcessingInstructionHandler = refuse(
        N_("The SVG contains a processing instruction, which is not accepted."))
    parser.ExternalEntityRefHandler = refuse(N_("The SVG refers to an external entity."))
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise SvgRefused(N_("The SVG is not well-formed XML ({error}, line {line})."),
                         error=expat.ErrorString(error.code), line=error.lineno) from None
    if not built:
        raise SvgRefused(N_("The file has no SVG element."))
    return built[0]


def _normalise_namespace(root: ET.Element) -> None:
    # Hand-written SVG often leaves out xmlns; its unqualified elements are SVG elements then.
    if root.tag != "svg":
        return
    for element in root.iter():
        if not element.tag.startswith("{"):
            element.tag = _svg(element.tag)


# -- the drawing's size -------------------------------------------------------------------


def _check_size(root: ET.Element) -> None:
    view_box = _view_box(root.get("viewBox"))
    for index, attribute in enumerate(("width", "height")):
        pixels = _length_px(root.get(attribute), attribute)
        if pixels is None and view_box is not None:
            pixels = view_box[index]
        if pixels is not None and pixels > MAX_SIDE_PX:
            raise SvgRefused(N_("The SVG's {attribute} ({size} px) is more than {limit} px."),
                             attribute=attribute, size=f"{pixels:.0f}", limit=MAX_SIDE_PX)


def _length_px(value: str | None, attribute: str) -> float | None:
    if value is None or value.strip() in ("", "auto"):
        return None
    match = _LENGTH.fullmatch(value)
    if match is None:
        raise SvgRefused(N_("The SVG's {attribute} is not a length: {value}."),
                         attribute=attribute, value=repr(value[:40]))
    number, unit = float(match.group(1)), match.group(2)
    if not math.isfinite(number) or number < 0:
        raise SvgRefused(N_("The SVG's {attribute} is not a usable length: {value}."),
                         attribute=attribute, value=repr(value[:40]))
    if unit == "%":
        return None  # relative to the page: the viewBox gives the drawing's own size
    return number * _PX_PER_UNIT[unit]


def _view_box(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    parts = value.replace(",", " ").split()
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise SvgRefused(N_("The SVG's viewBox is not four numbers.")) from None
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise SvgRefused(N_("The SVG's viewBox is not four numbers."))
    return abs(numbers[2]), abs(numbers[3])


# -- what is kept -------------------------------------------------------------------------


def _clean_element(element: ET.Element) -> None:
    for name in list(element.attrib):
        if not attribute_is_safe(name, element.attrib[name]):
            del element.attrib[name]
    for child in list(element):
        if element_is_kept(child):
            _clean_element(child)
            if _split(child.tag)[1] == "image" and not _has_reference(child):
                _remove_keeping_tail(element, child)  # its outside picture was taken away
        else:
            _remove_keeping_tail(element, child)


def _has_reference(element: ET.Element) -> bool:
    return bool(element.get("href") or element.get(f"{{{XLINK_NS}}}href"))


def element_is_kept(element: ET.Element) -> bool:
    namespace, local = _split(element.tag)
    if namespace != SVG_NS or local in _REMOVED_ELEMENTS:
        return False
    if local == "style":
        return all(_css_is_safe(text) for text in element.itertext())
    if local in _ANIMATIONS:
        # An animation may set any attribute, href and on* included, to any value.
        target = _split(element.get("attributeName", ""))[1].split(":")[-1].lower()
        return not (target in _REFERENCE_ATTRIBUTES or target.startswith("on")
                    or target == "style")
    return True


def _remove_keeping_tail(parent: ET.Element, child: ET.Element) -> None:
    # The text after a removed element belongs to its parent's text flow, not to the element.
    if child.tail and child.tail.strip():
        index = list(parent).index(child)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def attribute_is_safe(name: str, value: str) -> bool:
    namespace, local = _split(name)
    if namespace not in ("", XLINK_NS, XML_NS) or local.lower().startswith("on"):
        return False
    if namespace == XML_NS and local == "base":
        return False
    if local in _REFERENCE_ATTRIBUTES:
        return is_safe_reference(value)
    if local == "style":
        return _css_is_safe(value)
    return all(is_safe_reference(target) for _, target in _URL.findall(value))


def _css_is_safe(css: str) -> bool:
    lowered = css.lower()
    # A backslash can spell `url` or `@import` in CSS escapes that a pattern would not see.
    if "\\" in css or "@import" in lowered or "expression" in lowered:
        return False
    return all(is_safe_reference(target) for _, target in _URL.findall(css))


def is_safe_reference(value: str) -> bool:
    """True for `#id` in the same document or a PNG/JPEG embedded as base64 within the caps."""
    value = value.strip()
    if _SAME_DOCUMENT.fullmatch(value):
        return True
    match = _EMBEDDED_PICTURE.fullmatch(value)
    if match is None:
        return False
    try:
        picture = base64.b64decode(re.sub(r"\s+", "", match.group(2)), validate=True)
    except (binascii.Error, ValueError):
        return False
    declared = "jpeg" if match.group(1).lower() in ("jpeg", "jpg") else "png"
    info = image_info(picture)
    return info is not None and info.kind == declared and not info.too_large


def _check_drawn_elements(root: ET.Element) -> None:
    """Counts the elements drawn once every `<use>` is followed; refuses cycles and bombs."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}

    def dependencies(element: ET.Element) -> list[ET.Element]:
        local = _split(element.tag)[1]
        # What <defs> holds is drawn only where a <use> points at it.
        found = [] if local == "defs" else list(element)
        if local == "use":
            reference = element.get("href") or element.get(f"{{{XLINK_NS}}}href") or ""
            target = by_id.get(reference.strip()[1:]) if reference.strip()[:1] == "#" else None
            if target is not None:
                found.append(target)
        return found

    # Depth-first without recursion: a `<use>` chain may be thousands of links long.
    drawn: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    while stack:
        element, finished = stack.pop()
        key = id(element)
        if finished:
            drawn[key] = 1 + sum(drawn[id(dep)] for dep in dependencies(element))
            entered.discard(key)
            if drawn[key] > MAX_DRAWN_ELEMENTS:
                raise SvgRefused(N_("The SVG's <use> references would draw more than {count} "
                                    "elements."), count=MAX_DRAWN_ELEMENTS)
            continue
        if key in drawn:
            continue
        if key in entered:
            raise SvgRefused(N_("The SVG's <use> references form a cycle."))
        entered.add(key)
        stack.append((element, True))
        stack.extend((dep, False) for dep in dependencies(element) if id(dep) not in drawn)


def _serialise(root: ET.Element) -> str:
    """The cleaned tree as text: every element is SVG's, every attribute's prefix is known."""
    # Imported here: xml.sax.saxutils brings urllib.request (http.client, ssl, email) along,
    # 18 ms of the app's start-up, while only a figure being cleaned needs it.
    from xml.sax.saxutils import escape, quoteattr

    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n']

    def write(element: ET.Element, is_root: bool) -> None:
        local = _split(element.tag)[1]
        parts.append(f"<{local}")
        if is_root:
            parts.append(f' xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"')
        for name, value in element.attrib.items():
            namespace, attribute = _split(name)
            parts.append(f" {_PREFIXES[namespace]}{attribute}={quoteattr(value)}")
        parts.append(">")
        parts.append(escape(element.text or ""))
        for child in element:
            write(child, False)
            parts.append(escape(child.tail or ""))
        parts.append(f"</{local}>")

    write(root, True)
    return "".join(parts)

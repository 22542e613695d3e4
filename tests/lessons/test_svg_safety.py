"""clean_svg against hostile SVGs: each is refused with a reason or drawn without its danger."""

import base64
import struct
import zlib

import pytest

from hafiza.lessonlib import image_headers
from hafiza.lessonlib.svg_safety import MAX_SVG_BYTES, SvgRefused, clean_svg

SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def png(width, height):
    """A PNG header claiming width x height (a few bytes, as a decompression bomb would)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


def data_uri(data, kind="png"):
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def svg(body, attributes='width="100" height="100"'):
    return f"<svg {SVG} {attributes}>{body}</svg>".encode()


REFUSED = {
    "billion laughs": (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
                       b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><svg>&b;</svg>', "DOCTYPE"),
    "external entity": (b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        b'<svg>&x;</svg>', "DOCTYPE"),
    "external dtd": (b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                     b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>', "DOCTYPE"),
    "stylesheet pi": (b'<?xml-stylesheet href="file:///x.css"?><svg/>', "processing"),
    "undeclared entity": (b"<svg>&foo;</svg>", "well-formed"),
    "not xml": (b"\x89PNG\r\n\x1a\n", "well-formed"),
    "empty": (b"", "well-formed"),
    "html": (b"<html><body/></html>", "not an SVG"),
    "svgz": (b"\x1f\x8b\x08\x00rest", "Compressed"),
    "too big": (b"<svg>" + b" " * MAX_SVG_BYTES + b"</svg>", "larger than"),
    "too deep": (b"<svg>" + b"<g>" * 100 + b"</g>" * 100 + b"</svg>", "levels deep"),
    "too many": (b"<svg>" + b"<rect/>" * 20_000 + b"</svg>", "elements"),
    "huge width": (svg("", 'width="100000" height="10"'), "width"),
    "huge height in": (svg("", 'width="10" height="50in"'), "height"),
    "huge viewBox": (svg("", 'viewBox="0 0 100000 100000"'), "width"),
    "nan width": (svg("", 'width="nan" height="10"'), "length"),
    "bad viewBox": (svg("", 'viewBox="0 0 inf 10"'), "viewBox"),
    "use cycle": (svg('<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>'), "cycle"),
    "use self": (svg('<g id="a"><use xlink:href="#a"/></g>'), "cycle"),
    "use bomb": (svg('<rect id="l0"/>' + "".join(
        f'<g id="l{level}">' + f'<use href="#l{level - 1}"/>' * 10 + "</g>"
        for level in range(1, 9))), "would draw"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_svg_is_refused_with_a_reason(name):
    data, words = REFUSED[name]
    with pytest.raises(SvgRefused) as refused:
        clean_svg(data)
    assert words in refused.value.reason
    assert refused.value.reason.endswith(".")


def test_a_long_use_chain_is_counted_without_recursion():
    chain = "".join(f'<g id="c{i}"><use href="#c{i + 1}"/></g>' for i in range(3000))
    cleaned = clean_svg(svg(f'<defs>{chain}<rect id="c3000"/></defs><use href="#c0"/>'))
    assert cleaned.count(b"<use") == 3001


# (name, body, what must be gone from the cleaned SVG)
STRIPPED = {
    "script": ('<script>alert(1)</script>', b"alert"),
    "foreign object": ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">'
                       '<img src="file:///etc"/></div></foreignObject>', b"file:"),
    "event handler": ('<rect onload="alert(1)" onClick="x" width="5"/>', b"alert"),
    "local image": ('<image href="file:///home/me/photo.jpg"/>', b"file:"),
    # An image whose picture was taken away goes too (Qt warns of an empty file name).
    "local image element": ('<image x="1" href="file:///home/me/photo.jpg"/>', b"<image"),
    "xlink local image": ('<image xlink:href="/etc/passwd"/>', b"passwd"),
    "web image": ('<image href="http://example.com/track.png"/>', b"example.com"),
    "relative image": ('<image href="../secret.png"/>', b"secret"),
    "javascript link": ('<a href="javascript:alert(1)"><text>x</text></a>', b"javascript"),
    "style url": ('<rect style="fill: url(file:///x)"/>', b"file:"),
    "css escape": ('<rect style="background: u\\72l(http://x)"/>', b"72l"),
    "style element import": ('<style>@import url(http://evil/x.css);</style>', b"evil"),
    "style element url": ('<style>rect { fill: url("https://evil/x") }</style>', b"evil"),
    "presentation url": ('<rect filter="url(http://evil/f.svg#f)"/>', b"evil"),
    "feImage": ('<filter id="f"><feImage href="file:///etc/x.png"/></filter>', b"file:"),
    "animate href": ('<a href="#ok"><set attributeName="href" to="file:///x"/></a>',
                     b"file:"),
    "animate handler": ('<animate attributeName="onclick" values="alert(1)"/>', b"alert"),
    "xinclude": ('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                 'href="file:///etc/passwd"/>', b"passwd"),
    "xml base": ('<g xml:base="file:///etc/"><use href="#a"/></g>', b"file:"),
    "svg data uri": ('<image href="data:image/svg+xml;base64,PHN2Zz4="/>', b"svg+xml"),
    "fake png": ('<image href="' + data_uri(b"GIF89a....") + '"/>', b"base64"),
    "png bomb": ('<image href="' + data_uri(png(100_000, 100_000)) + '"/>', b"base64"),
    "bad base64": ('<image href="data:image/png;base64,@@@@"/>', b"@@@@"),
}


@pytest.mark.parametrize("name", sorted(STRIPPED))
def test_dangerous_parts_are_removed_and_the_rest_is_kept(name):
    body, gone = STRIPPED[name]
    cleaned = clean_svg(svg(body + '<circle r="3"/>'))
    assert gone not in cleaned
    assert b'<circle r="3">' in cleaned


def test_safe_drawing_keeps_its_shapes_references_and_text():
    picture = data_uri(png(20, 10))
    body = ('<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
            '<rect id="r" fill="url(#g)" style="stroke: url(#g)" width="5"/>'
            '<use xlink:href="#r"/><text x="1">h &amp; &lt;t&gt;</text>'
            f'<image href="{picture}" width="20" height="10"/>')
    cleaned = clean_svg(svg(body))
    for kept in (b'fill="url(#g)"', b'style="stroke: url(#g)"', b'xlink:href="#r"',
                 b"h &amp; &lt;t&gt;", picture.encode(), b"linearGradient"):
        assert kept in cleaned
    assert clean_svg(cleaned) == cleaned  # cleaning is stable


def test_svg_without_namespace_is_read_as_svg():
    cleaned = clean_svg(b'<svg width="10" height="10"><script>x</script><rect/></svg>')
    assert cleaned.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns=')
    assert b"<rect>" in cleaned and b"script" not in cleaned


def test_image_headers_read_size_and_kind():
    assert image_headers.image_info(png(640, 480)) == image_headers.ImageInfo("png", 640, 480)
    jpeg = (b"\xff\xd8\xff\xe0\x00\x04ab\xff\xc0\x00\x11\x08"
            + struct.pack(">HH", 300, 5000) + b"\x03" + b"\x00" * 9)
    info = image_headers.image_info(jpeg)
    assert (info.kind, info.width, info.height) == ("jpeg", 5000, 300)
    assert info.too_large
    assert image_headers.image_info(b"just text") is None
    assert image_headers.image_info(b'<?xml version="1.0"?><svg/>').kind == "svg"

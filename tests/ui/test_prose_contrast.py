"""Switching the theme while a lesson is open recolours its prose: body text and links keep a
contrast of at least 4.5:1 (WCAG AA) against the page, light, then dark, then light again,
measured on what the page draws (a grab of the whole page) and on the document's colours.

Before the fix, a paragraph switched to dark kept black text on a near-black page: every
widget under a style sheet (an admonition's frame, the text block's own sheet) kept the old
palette (ui/theme.py, `refresh_style_sheets`)."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from contrast import WCAG_AA, contrast, luminance
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPalette

from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR, read_outline
from hafiza.ui import i18n, theme
from hafiza.ui.blocks import AdmonitionWidget, CodeWidget, TextBlockWidget
from hafiza.ui.lesson_page import LessonPage

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "lessons" / "lstm-gates"




def pixels(image: QImage) -> np.ndarray:
    """The image as an (h, w, 3) RGB array."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    # A copy: the array must not outlive the image's own memory.
    return raw.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


def background_and_ink(area: np.ndarray):
    """The commonest colour of an area (its background) and the colour that stands out most
    from it (the ink of its text)."""
    flat = area.reshape(-1, 3)
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    lum = np.array([luminance(c) for c in colours])
    bg_lum = luminance(background)
    ratios = (np.maximum(lum, bg_lum) + 0.05) / (np.minimum(lum, bg_lum) + 0.05)
    return background, colours[ratios.argmax()]


@pytest.fixture
def lesson_page(qtbot, qapp, tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(DEMO, lessons / "lstm-gates")
    i18n.register_bundled_fonts()
    i18n.apply_language(qapp, "fa")
    theme.apply_theme(qapp, "light")
    page = LessonPage()
    qtbot.addWidget(page)
    page.resize(QSize(760, 2400))  # tall enough to show every block at once
    page.show()
    qtbot.waitExposed(page)
    outline = read_outline(BUILTIN_LESSONS_DIR, lessons)
    page.show_lesson(outline, outline.find("lstm-gates"))
    yield page
    theme.apply_theme(qapp, "light")
    i18n.apply_language(qapp, "en")


def plain_paragraphs(page):
    """Text blocks without links or formulas (their ink is the body text), admonitions'
    included, and every text block that holds a link."""
    blocks = []
    for widget in page.content_blocks:
        blocks += [widget] if isinstance(widget, TextBlockWidget) else \
            widget.findChildren(TextBlockWidget)
    plain = [b for b in blocks if b.kind in ("paragraph", "list", "table")
             and "formula:" not in b._html and "<a " not in b._html]
    linked = [b for b in blocks if "<a " in b._html]
    return plain, linked


def link_colours(block: TextBlockWidget) -> list[QColor]:
    found = []
    block_ = block.document().begin()
    while block_.isValid():
        it = block_.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isAnchor():
                found.append(fragment.charFormat().foreground().color())
            it += 1
        block_ = block_.next()
    return found


def measure(page, qapp):
    """(lowest body-text contrast, lowest link contrast) on the page as drawn now."""
    qapp.processEvents()
    page._settle()
    shot = pixels(page.grab().toImage())
    plain, linked = plain_paragraphs(page)
    assert len(plain) >= 3 and linked, "the fixture lesson lost its plain paragraphs or links"
    body = []
    for block in plain:
        rect = QRect(block.mapTo(page, QPoint(0, 0)), block.size()).intersected(page.rect())
        assert not rect.isEmpty(), "every block is inside the page"
        area = shot[rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1]
        background, ink = background_and_ink(area)
        body.append(contrast(background, ink))
    links = []
    for block in linked:
        rect = QRect(block.mapTo(page, QPoint(0, 0)), block.size()).intersected(page.rect())
        area = shot[rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1]
        background, _ink = background_and_ink(area)
        links += [contrast(background, (c.red(), c.green(), c.blue()))
                  for c in link_colours(block)]
    return min(body), min(links)


def test_prose_stays_readable_when_the_theme_changes_while_the_page_is_open(lesson_page, qapp):
    for scheme in ("light", "dark", "light"):
        theme.apply_theme(qapp, scheme)
        body, links = measure(lesson_page, qapp)
        assert body >= WCAG_AA, (scheme, body)
        assert links >= WCAG_AA, (scheme, links)


def test_widgets_under_a_style_sheet_take_the_new_palette(lesson_page, qapp):
    theme.apply_theme(qapp, "dark")
    qapp.processEvents()  # a window takes the application's palette through its events
    dark_text = qapp.palette().color(QPalette.ColorRole.Text)
    admonitions = [w for w in lesson_page.content_blocks if isinstance(w, AdmonitionWidget)]
    assert admonitions
    for admonition in admonitions:
        assert admonition.heading.palette().color(QPalette.ColorRole.WindowText) == \
            qapp.palette().color(QPalette.ColorRole.WindowText)
        for child in admonition.findChildren(TextBlockWidget):
            assert child.palette().color(QPalette.ColorRole.Text) == dark_text


def test_code_takes_the_dark_colours_and_back(lesson_page, qapp, qtbot):
    code = [w for w in lesson_page.content_blocks if isinstance(w, CodeWidget)][0]
    light_html = code.toHtml()
    theme.apply_theme(qapp, "dark")
    qtbot.waitUntil(lambda: code.toHtml() != light_html)  # the dark highlighting style
    assert "color:#f8f8f2" in code.toHtml()  # monokai's text colour
    theme.apply_theme(qapp, "light")
    qtbot.waitUntil(lambda: code.toHtml() == light_html)


def test_the_lessons_meta_line_is_muted_but_readable(lesson_page, qapp, qtbot):
    from hafiza.ui.blocks.page_text import TextBlock

    meta = [w for w in lesson_page.blocks if isinstance(w, TextBlock)
            and w.objectName() == "block-meta"][0]
    for scheme in ("light", "dark", "light"):
        theme.apply_theme(qapp, scheme)
        paper = qapp.palette().color(QPalette.ColorRole.Window)
        qtbot.waitUntil(lambda paper=paper: meta.palette().color(QPalette.ColorRole.Window)
                        == paper)
        ink = meta.palette().color(QPalette.ColorRole.WindowText)
        assert ink != qapp.palette().color(QPalette.ColorRole.WindowText)  # muted
        ratio = contrast((ink.red(), ink.green(), ink.blue()),
                         (paper.red(), paper.green(), paper.blue()))
        assert ratio >= WCAG_AA, (scheme, ratio)

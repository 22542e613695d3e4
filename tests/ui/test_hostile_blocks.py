"""What a pack's lesson blocks bring cannot hurt the learner: every input here is built by the
test, hostile on purpose, and must be refused with a message on the page or drawn harmlessly.

- a block of any type with data of the wrong type becomes a problem box, never an exception;
- an SVG never draws a local file, is drawn at the page's width and within the pixel caps;
- a raster image larger than the cap is refused from its header, before it is decoded;
- markup in a title, a name or a tooltip is shown as text.
"""

import struct
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel

from hafiza.lessonlib import model
from hafiza.ui import i18n
from hafiza.ui.blocks import (
    AdmonitionWidget,
    CodeWidget,
    ExerciseCard,
    FigureWidget,
    ProblemWidget,
    QuizWidget,
    RichText,
    TextBlockWidget,
    make_block,
)
from hafiza.ui.blocks.images import (
    MAX_IMAGE_SIDE,
    ImageRefused,
    PixelBudget,
    open_image,
)

RED = QColor("red").rgb()


@pytest.fixture(autouse=True)
def english(qapp):
    i18n.apply_language(qapp, "en")


def red_png(path: Path, width: int = 40, height: int = 40) -> Path:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("red"))
    assert image.save(str(path), "PNG")
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG of a few dozen bytes whose header claims `width` x `height` pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    pixels = chunk(b"IDAT", zlib.compress(b"\0" * 16))  # libpng reads the header up to here
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + pixels + chunk(b"IEND", b""))
    return path


def svg_drawing(path: Path, inner: str, width="200", height="100", head="") -> Path:
    path.write_text(f'{head}<svg xmlns="http://www.w3.org/2000/svg" '
                    f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" '
                    f'height="{height}">{inner}</svg>', encoding="utf-8")
    return path


def red_pixels(image: QImage) -> int:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    step = max(1, image.width() // 20)
    return sum(1 for x in range(0, image.width(), step) for y in range(0, image.height(), step)
               if image.pixel(x, y) == RED)


# -- blocks of every type with the wrong data -------------------------------------------------

OPTION = model.QuizOption("<p>a</p>", True, "", "a")
MALFORMED = [
    model.TextBlock(1, "paragraph", None),
    model.TextBlock(2, "paragraph", "<p>x</p>", formulas=[["not", "latex"]]),
    model.TextBlock(3, "heading", "<p>x</p>", level="one"),
    model.FormulaBlock(4, 12345),
    model.CodeBlock(5, b"bytes, not text"),
    model.CodeBlock(6, "x = 1", language=["python"]),
    model.FigureBlock(7, 42),
    model.FigureBlock(8, Path("a.png"), caption_html={"html": 1}),
    model.AdmonitionBlock(9, "note", {"title": "dict"}),
    model.AdmonitionBlock(10, "note", "t", blocks="not a list"),
    model.QuizBlock(11, "q", "single", None),
    model.QuizBlock(12, "q", "single", "<p>?</p>", options="ab"),
    model.QuizBlock(13, "q", "single", "<p>?</p>", options=[{"text": "a"}]),
    model.QuizBlock(14, "q", "numeric", "<p>?</p>", answer="half"),
    model.QuizBlock(15, "q", "numeric", "<p>?</p>", answer=float("nan")),
    model.QuizBlock(16, "q", "essay", "<p>?</p>", options=[OPTION]),
    model.QuizBlock(17, "q", ["single"], "<p>?</p>", options=[OPTION]),
    model.QuizBlock(18, "q", "single", "<p>?</p>",
                    options=[model.QuizOption("<p>a</p>", "yes", "", "a")]),
    model.ExerciseBlock(19, ["id"]),
    model.ExerciseBlock(20, "e", exercise=["not", "a", "dict"]),
    model.ProblemBlock(21, None),
    "not a block at all",
    None,
]


@pytest.mark.parametrize("block", MALFORMED, ids=lambda b: type(b).__name__)
def test_a_malformed_block_becomes_a_problem_box(qtbot, block):
    widget = make_block(block, "en", "hostile")
    qtbot.addWidget(widget)
    assert isinstance(widget, ProblemWidget)
    assert widget.heading.text() == "This part of the lesson could not be shown."
    assert widget.detail.text().startswith("line ")


def test_a_problem_inside_a_box_leaves_the_rest_of_the_box(qtbot):
    good = model.TextBlock(2, "paragraph", "<p>kept</p>", text="kept")
    box = model.AdmonitionBlock(1, "tip", "t", [model.FormulaBlock(3, 7), good])
    widget = make_block(box, "en", "hostile")
    qtbot.addWidget(widget)
    assert isinstance(widget, AdmonitionWidget)
    first, second = widget.children_blocks
    assert isinstance(first, ProblemWidget) and "line 3" in first.detail.text()
    assert isinstance(second, TextBlockWidget) and second.plain_text() == "kept"


def test_boxes_nested_too_deep_stop_with_a_problem_box(qtbot):
    block = model.TextBlock(99, "paragraph", "<p>deep</p>")
    for line in range(40):
        block = model.AdmonitionBlock(line, "note", "", [block])
    widget = make_block(block, "en", "hostile")
    qtbot.addWidget(widget)
    problems = widget.findChildren(ProblemWidget)
    assert len(problems) == 1 and "nested" in problems[0].detail.text()


def test_a_widget_that_fails_while_built_becomes_a_problem_box(qtbot, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("a Qt call failed")
    monkeypatch.setattr(CodeWidget, "render", broken)
    widget = make_block(model.CodeBlock(8, "x = 1", "python"), "en", "hostile")
    qtbot.addWidget(widget)
    assert isinstance(widget, ProblemWidget)
    assert widget.detail.text() == "line 8: it could not be drawn (RuntimeError)"


@pytest.mark.parametrize("exercise", [
    {"id": "e", "controls": 5, "model": 7, "goal": {"op": [">="], "value": 1}},
    {"id": "e", "model": "LSTM(16)", "goal": {"metric": "loss", "op": "<=", "value": 10**400}},
    {"id": "e", "goal": {"metric": ["x"], "op": ">=", "value": float("nan")}, "dataset": 3},
    {"id": "e", "title": ["not", "a", "dict"], "task": {"a": 1}, "controls": {"a": 1}},
])
def test_exercise_data_of_the_wrong_kind_is_left_out_of_the_card(qtbot, exercise):
    widget = make_block(model.ExerciseBlock(1, "e", exercise), "en", "hostile")
    qtbot.addWidget(widget)
    assert isinstance(widget, ExerciseCard)
    assert widget.train_button.isEnabled()
    assert "You can change" not in widget.summary.plain_text()


# -- markup is text -----------------------------------------------------------------------------

MARKUP = '<img src="file:///etc/secret.png"><b>bold</b>'


def test_markup_in_titles_and_names_is_shown_as_text(qtbot, tmp_path):
    box = make_block(model.AdmonitionBlock(1, "warning", MARKUP), "en", "hostile")
    card = make_block(model.ExerciseBlock(2, "e", {"id": "e", "title": {"en": MARKUP}}),
                      "en", "hostile")
    named = tmp_path / "<b>x<img src=a.png>.png"
    figure = make_block(model.FigureBlock(3, named), "en", "hostile")
    for widget in (box, card, figure):
        qtbot.addWidget(widget)
    assert box.heading.text() == f"Warning: {MARKUP}"
    assert card.heading.text() == f"Exercise: {MARKUP}"
    assert "<b>x<img src=a.png>.png" in figure.image.text()
    for widget in (box, card, figure):
        for label in widget.findChildren(QLabel):
            assert label.textFormat() == label.textFormat().PlainText or "<" not in label.text()


def test_a_formula_tooltip_shows_its_latex_as_text(qtbot):
    widget = make_block(model.FormulaBlock(1, "<img src='file:///etc/x.png'>"), "en", "h")
    qtbot.addWidget(widget)
    assert "&lt;img" in widget.toolTip() and "<img" not in widget.toolTip()


def test_hovering_a_link_shows_its_address_and_nothing_else(qtbot):
    text = RichText('<p><a href="https://example.org/a">a</a></p>')
    qtbot.addWidget(text)
    text.highlighted.emit(QUrl("https://example.org/a?b=1&c=2"))
    assert "https://example.org/a?b=1&amp;c=2" in text.toolTip()
    text.highlighted.emit(QUrl("javascript:alert(1)"))
    assert text.toolTip() == ""


# -- figures ------------------------------------------------------------------------------------

@pytest.mark.parametrize("reference", ["file:///{secret}", "{secret}", "file://{secret}"])
def test_an_svg_never_draws_a_local_file(qtbot, tmp_path, reference):
    secret = red_png(tmp_path / "secret.png")
    href = reference.format(secret=secret.as_posix().lstrip("/") if "///" in reference
                            else secret.as_posix())
    drawing = svg_drawing(tmp_path / "a.svg", f'<rect width="10" height="10" fill="blue"/>'
                          f'<image x="0" y="0" width="200" height="100" xlink:href="{href}"/>'
                          f'<image x="0" y="0" width="200" height="100" href="{href}"/>')
    figure = FigureWidget(drawing, "", "", None)
    qtbot.addWidget(figure)
    assert not figure.image.original.isNull()  # the rest of the drawing is drawn
    assert red_pixels(figure.image.pixmap().toImage()) == 0


def test_a_png_holding_an_svg_is_cleaned_as_an_svg(qtbot, tmp_path):
    secret = red_png(tmp_path / "secret.png")
    disguised = svg_drawing(tmp_path / "figure.png",
                            f'<image width="200" height="100" xlink:href="{secret}"/>')
    figure = FigureWidget(disguised, "", "", None)
    qtbot.addWidget(figure)
    assert red_pixels(figure.image.pixmap().toImage()) == 0


def test_an_svg_the_sanitiser_refuses_leaves_a_note_with_the_reason(qtbot, tmp_path):
    bomb = svg_drawing(tmp_path / "bomb.svg", "<text>&lol9;</text>",
                       head='<!DOCTYPE svg [<!ENTITY lol "lol">'
                            '<!ENTITY lol9 "&lol;&lol;&lol;&lol;">]>')
    figure = FigureWidget(bomb, "", "", None)
    qtbot.addWidget(figure)
    assert figure.image.original.isNull()
    assert figure.image.text() == ("The image \u2068bomb.svg\u2069 could not be shown: the "
                                   "drawing declares XML entities, which are not accepted.")
    assert "DOCTYPE" in figure.image.toolTip()  # the author's detail


def test_an_svg_is_drawn_at_the_page_width_not_its_declared_size(qtbot, tmp_path):
    drawing = svg_drawing(tmp_path / "wide.svg", '<rect width="4000" height="4000"/>',
                          width="4000", height="4000")
    budget = PixelBudget()
    figure = FigureWidget(drawing, "", "", None, budget)
    qtbot.addWidget(figure)
    figure.show()
    qtbot.waitExposed(figure)
    ratio = figure.image.devicePixelRatioF()
    for width in (500, 300):  # the window narrows: drawn again, the budget charged anew
        figure.resize(width, 400)
        qtbot.waitUntil(lambda w=width: figure.image.pixmap().width() == round(w * ratio))
        drawn = figure.image.pixmap()
        assert drawn.height() == drawn.width()
        assert budget.used == drawn.width() * drawn.height()


def test_a_tall_thin_svg_stays_within_the_side_cap(qtbot, tmp_path):
    drawing = svg_drawing(tmp_path / "tall.svg", "", width="1", height="4000")
    image = open_image(drawing, PixelBudget(), "k")
    assert max(image.draw(800).width(), image.draw(800).height()) <= MAX_IMAGE_SIDE


def test_twelve_large_svgs_share_the_page_budget(qtbot, tmp_path):
    budget = PixelBudget()
    figures = []
    for index in range(12):
        drawing = svg_drawing(tmp_path / f"big{index}.svg", '<rect width="4000" height="40"/>',
                              width="4000", height="4000")
        figures.append(FigureWidget(drawing, "", "", None, budget))
        qtbot.addWidget(figures[-1])
    assert budget.used <= budget.limit
    assert all(f.image.original.width() <= f.image.width() * f.image.devicePixelRatioF()
               for f in figures)


@pytest.mark.parametrize("width, height, reason", [
    (100_000, 100_000, "it is 100,000 × 100,000 pixels; the limit is 4,096 × 4,096"),
    (MAX_IMAGE_SIDE + 1, 10, "it is 4,097 × 10 pixels; the limit is 4,096 × 4,096"),
    (10, 2**31 - 1, "its size cannot be read"),  # libpng's own limit
])
def test_a_raster_larger_than_the_cap_is_refused_from_its_header(qtbot, tmp_path, width,
                                                                 height, reason):
    claimed = png_header_only(tmp_path / "huge.png", width, height)
    budget = PixelBudget()
    with pytest.raises(ImageRefused) as refused:
        open_image(claimed, budget, "k")
    assert refused.value.reason == reason
    assert budget.used == 0
    figure = FigureWidget(claimed, "", "", None)
    qtbot.addWidget(figure)
    assert "could not be shown" in figure.image.text()


def test_a_page_refuses_images_once_its_budget_is_spent(qtbot, tmp_path):
    budget = PixelBudget(limit=3000)
    first = FigureWidget(red_png(tmp_path / "a.png"), "", "", None, budget)  # 1600 px
    second = FigureWidget(red_png(tmp_path / "b.png"), "", "", None, budget)
    for figure in (first, second):
        qtbot.addWidget(figure)
    assert not first.image.original.isNull()
    assert second.image.original.isNull()
    assert "as many large images as it can" in second.image.text()
    assert budget.used == 1600


def test_a_file_that_is_no_image_is_refused(qtbot, tmp_path):
    fake = tmp_path / "notes.png"
    fake.write_bytes(b"#!/bin/sh\necho hello\n" * 10)
    figure = FigureWidget(fake, "", "", None)
    qtbot.addWidget(figure)
    assert "is not a PNG, JPEG, GIF, WebP or SVG image" in figure.image.text()


# -- inline images in prose ---------------------------------------------------------------------

def inline(path: Path) -> str:
    return f'<p>before <img src="{QUrl.fromLocalFile(str(path)).toString()}"> after</p>'


def test_an_inline_image_over_the_cap_is_replaced_by_its_reason(qtbot, tmp_path):
    claimed = png_header_only(tmp_path / "huge.png", 50_000, 50_000)
    text = RichText(inline(claimed))
    qtbot.addWidget(text)
    assert len(text.refused_images) == 1 and "the limit is" in text.refused_images[0]
    assert text.images.used == 0


def test_an_inline_svg_is_cleaned_and_counted(qtbot, tmp_path):
    secret = red_png(tmp_path / "secret.png")
    drawing = svg_drawing(tmp_path / "a.svg", f'<image width="200" height="100" '
                                              f'xlink:href="{secret}"/>')
    budget = PixelBudget()
    text = RichText(inline(drawing), images=budget)
    qtbot.addWidget(text)
    assert text.refused_images == []
    assert 0 < budget.used <= 200 * 100 * text.devicePixelRatioF() ** 2 + 400
    image = text.document().resource(text.document().ResourceType.ImageResource.value,
                                     QUrl.fromLocalFile(str(drawing)))
    assert red_pixels(image) == 0


def test_a_document_loads_no_style_sheet_and_no_remote_image(qtbot, tmp_path):
    sheet = tmp_path / "s.css"
    sheet.write_text("p { color: red }")
    text = RichText(f'<link rel="stylesheet" href="{sheet.as_uri()}">'
                    '<p><img src="https://example.org/x.png"></p>')
    qtbot.addWidget(text)
    assert text.loadResource(text.document().ResourceType.StyleSheetResource.value,
                             QUrl.fromLocalFile(str(sheet))) is None
    assert text.loadResource(text.document().ResourceType.ImageResource.value,
                             QUrl("https://example.org/x.png")) is None


def test_quiz_text_stays_text_through_the_parser(qtbot):
    from hafiza.lessonlib.parser import parse_markdown

    source = ("```quiz\nid: q\ntype: single\nquestion: '<img src=\"file:///etc/a.png\">?'\n"
              "options:\n  - text: '<b>yes</b>'\n    correct: true\n"
              "    explain: '<script>x</script>'\n  - text: no\n"
              "explain: '<a href=\"file:///etc\">see</a>'\n```\n")
    document = parse_markdown(source)
    quiz = make_block(document.blocks[0], "en", "hostile")
    qtbot.addWidget(quiz)
    assert isinstance(quiz, QuizWidget)
    assert quiz.question.plain_text() == '<img src="file:///etc/a.png">?'
    texts = [t.plain_text() for t in quiz.findChildren(RichText)]
    assert "<b>yes</b>" in texts and "<script>x</script>" in texts
    assert '<a href="file:///etc">see</a>' in texts

"""Formulas in quizzes are drawn, never shown as `$…$` source scrambled by bidi: in the
question, the options, the steps of an order quiz and the explanations."""

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QTextImageFormat
from PySide6.QtWidgets import QAbstractButton, QLabel

from hafiza.lessonlib.parser import parse_markdown
from hafiza.ui.blocks.quiz import QuizWidget
from hafiza.ui.blocks.text import RichText

RTL = Qt.LayoutDirection.RightToLeft
SUM = r"$\sum_i w_i x_i$"

ORDER = f"""```quiz
id: steps
type: order
question: رتّب الخطوات
options:
  - خود الوزن $w_i$ والمدخل $x_i$
  - يحسب المجموع الموزون {SUM}
  - طبّق الدالة $f$ وخرّج $y$
```
"""

SINGLE = f"""```quiz
id: sum
type: single
question: 'شنو كيحسب {SUM}؟'
options:
  - text: 'المجموع الموزون {SUM}'
    correct: true
    explain: 'كل مدخل $x_i$ مضروب فالوزن ديالو $w_i$.'
  - text: 'الضرب ديال $w_i$ فـ $x_i$ بوحدهم'
    explain: 'لا، {SUM} كيجمع.'
explain: '{SUM} هو قلب النورون.'
```
"""


def quiz_widget(qtbot, markdown: str) -> QuizWidget:
    quiz = parse_markdown(markdown, "t.md", variety="ary").blocks[0]
    widget = QuizWidget(quiz, RTL)
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def visible_texts(widget: QuizWidget) -> list[str]:
    texts = [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]
    texts += [button.text() for button in widget.findChildren(QAbstractButton)
              if button.isVisible()]
    texts += [rich.plain_text() for rich in widget.findChildren(RichText) if rich.isVisible()]
    if widget.steps is not None:
        texts += [widget.steps.item(row).text() for row in range(widget.steps.count())]
    return texts


def formula_images(rich: RichText) -> list:
    """The formula images the document of `rich` draws."""
    document, images = rich.document(), []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fmt = fragments.fragment().charFormat()
            if fmt.isImageFormat():
                name = QTextImageFormat(fmt).name()
                images.append(document.resource(document.ResourceType.ImageResource.value,
                                                QUrl(name)))
            fragments += 1
        block = block.next()
    return [image for image in images if image is not None and not image.isNull()]


def inked_rows(widget: QuizWidget) -> list[int]:
    """How many pixels differ from the background in each row of the step list."""
    picture = widget.steps.grab().toImage()
    background = QColor(picture.pixelColor(2, picture.height() - 2))
    counts = []
    for row in range(widget.steps.count()):
        rect = widget.steps.visualItemRect(widget.steps.item(row))
        ratio = picture.devicePixelRatio()
        counts.append(sum(picture.pixelColor(round(x * ratio), round(y * ratio)) != background
                          for x in range(rect.left(), rect.right(), 2)
                          for y in range(rect.top(), rect.bottom(), 2)))
    return counts


def test_order_steps_draw_their_formulas(qtbot):
    widget = quiz_widget(qtbot, ORDER)
    assert not any("$" in text for text in visible_texts(widget))
    steps = widget.steps
    for row in range(steps.count()):
        option = steps.item(row).data(Qt.ItemDataRole.UserRole)
        text = steps.texts[option]
        drawn = formula_images(text)
        assert len(drawn) == (1 if option == 1 else 2)
        # the row is as tall as the step's text, formula included
        assert steps.visualItemRect(steps.item(row)).height() >= drawn[0].height() / \
            drawn[0].devicePixelRatio()
        # a screen reader hears the step with its formulas' source
        assert steps.item(row).data(Qt.ItemDataRole.AccessibleTextRole) == \
            widget.quiz.options[option].text
    assert all(count > 50 for count in inked_rows(widget))
    # every row is inside the list: no step is cut off
    assert steps.visualItemRect(steps.item(steps.count() - 1)).bottom() < steps.height()


def test_rows_follow_a_reorder(qtbot):
    widget = quiz_widget(qtbot, ORDER)
    widget.steps.set_order([0, 1, 2])
    assert widget.answer() == [0, 1, 2]
    widget.steps.setCurrentRow(0)
    widget.move_step(1)
    assert widget.answer() == [1, 0, 2]
    assert all(count > 50 for count in inked_rows(widget))


def test_choices_and_explanations_draw_their_formulas(qtbot):
    widget = quiz_widget(qtbot, SINGLE)
    assert formula_images(widget.question)
    widget.buttons[1].setChecked(True)
    widget.check_button.click()
    widget.show_button.click()  # every explanation and the worked solution
    assert widget.general.isVisible() and all(e.isVisible() for e in widget.explanations)
    assert not any("$" in text for text in visible_texts(widget))
    for rich in widget.findChildren(RichText):
        if rich.isVisible():
            assert formula_images(rich), rich.plain_text()

"""Every playground is usable on a small laptop: inside an exercise window's tab of about
1000x640 (a 1024x700 screen less the frame and the tab bar) every control is on screen; in a
smaller space, or at a large text size, every control can still be scrolled to."""

import pyqtgraph as pg
import pytest
from playground_models import untrained_runs
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSlider,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from hafiza.ui import i18n
from hafiza.ui.playgrounds import PLAYGROUNDS, create

CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QSlider,
            QTableWidget, pg.PlotWidget)
TAB = (1000, 640)


@pytest.fixture(scope="module")
def runs():
    models = untrained_runs()
    language_model = models["language_model"]
    return {"next_word": language_model, "inside_cell": language_model,
            "sentiment": models["classifier"], "regression": models["regression"],
            "tagging": models["tagger"]}


@pytest.fixture(params=["fa", "en"])
def variety(request, qapp):
    i18n.apply_language(qapp, request.param)
    yield request.param
    i18n.apply_language(qapp, "en")


def in_tab(qtbot, name, runs, size=TAB):
    """The playground as an exercise window holds it: the whole of a tab of ``size``."""
    tab = QWidget()
    qtbot.addWidget(tab)
    layout = QVBoxLayout(tab)
    layout.setContentsMargins(0, 0, 0, 0)
    playground = create(name, runs.get(name))
    layout.addWidget(playground)
    tab.resize(*size)
    tab.show()
    qtbot.waitExposed(tab)
    QApplication.processEvents()
    return tab, playground


def inside_a_table(widget) -> bool:
    """A table's own parts and cell widgets: the table scrolls to them itself."""
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, QTableWidget):
            return True
        parent = parent.parent()
    return False


def visible_controls(playground):
    return [w for w in playground.findChildren(QWidget)
            if isinstance(w, CONTROLS) and w.isVisibleTo(playground)
            and not w.size().isEmpty() and not inside_a_table(w)
            and not isinstance(w.parent(), QAbstractSpinBox | QComboBox)]


def rect_in(widget, window) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def reachable(widget, window) -> bool:
    """On screen inside ``window``, or brought there by its scroll area."""
    if window.rect().contains(rect_in(widget, window)):
        return True
    scroll = widget.parent()
    while scroll is not None and not isinstance(scroll, QScrollArea):
        scroll = scroll.parent()
    if scroll is None:
        return False
    # Scrolls so the control's top is at the view's top (ensureWidgetVisible cannot be used:
    # a plot answers with its own cursor rectangle and is never scrolled to).
    top = widget.mapTo(scroll.widget(), QPoint(0, 0)).y()
    scroll.verticalScrollBar().setValue(top)
    QApplication.processEvents()
    viewport = rect_in(scroll.viewport(), window)
    shown = rect_in(widget, window)
    # A control taller than the view (a table, a plot) is reachable when its top shows.
    return window.rect().contains(viewport) and viewport.contains(
        QRect(shown.topLeft(), shown.size().boundedTo(viewport.size())))


@pytest.mark.parametrize("name", sorted(PLAYGROUNDS))
def test_every_control_is_inside_a_1000x640_tab(qtbot, runs, variety, name):
    tab, playground = in_tab(qtbot, name, runs)
    controls = visible_controls(playground)
    assert len(controls) >= 2
    outside = [(type(w).__name__, w.objectName(), rect_in(w, tab).getRect())
               for w in controls if not tab.rect().contains(rect_in(w, tab))]
    assert outside == [], f"{name} in {variety}: off the {TAB} tab"
    # it fits without scrolling: the content is no taller than the tab
    bar = playground.scroll_area.verticalScrollBar()
    assert bar.maximum() == 0, f"{name} scrolls at {TAB}"
    assert playground.shutdown(10_000)


@pytest.mark.parametrize("name", sorted(PLAYGROUNDS))
def test_in_a_smaller_space_every_control_can_be_scrolled_to(qtbot, runs, qapp, name):
    i18n.apply_language(qapp, "fa")
    font = qapp.font()
    size = font.pointSizeF()
    font.setPointSizeF(size * 1.5)  # View -> a larger text size
    qapp.setFont(font)
    try:
        tab, playground = in_tab(qtbot, name, runs, size=(600, 160))
        assert playground.scroll_area.verticalScrollBar().maximum() > 0  # it does not fit
        controls = visible_controls(playground)
        stuck = [(type(w).__name__, rect_in(w, tab).getRect()) for w in controls
                 if not reachable(w, tab)]
        assert stuck == [], f"{name}: cannot be scrolled to at 600x160"
        assert playground.shutdown(10_000)
    finally:
        font.setPointSizeF(size)
        qapp.setFont(font)
        i18n.apply_language(qapp, "en")

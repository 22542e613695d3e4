"""The language chooser opened from a right-to-left interface: each name on its own
script's side (Arabic-script names on the right, English on the left), as at first run."""

import pytest
from PySide6.QtCore import Qt

from hafiza.ui import i18n
from hafiza.ui.language_dialog import LanguageDialog


def ink_columns(dialog, row):
    """The leftmost and rightmost x (in the list's viewport) where the row's text has ink."""
    view = dialog.list
    rect = view.visualItemRect(view.item(row))
    image = view.viewport().grab(rect).toImage()
    background = image.pixelColor(1, 1)
    xs = [x for x in range(image.width()) for y in range(image.height())
          if abs(image.pixelColor(x, y).lightness() - background.lightness()) > 60]
    return min(xs), max(xs), image.width()


@pytest.mark.parametrize("interface", ["fa", "en"])
def test_each_name_sits_on_its_own_scripts_side(qapp, qtbot, interface):
    i18n.apply_language(qapp, interface)
    try:
        dialog = LanguageDialog("ary")
        qtbot.addWidget(dialog)
        dialog.list.setCurrentRow(-1)  # no highlight behind a row
        dialog.show()
        qtbot.waitExposed(dialog)
        rows = {dialog.list.item(r).data(Qt.ItemDataRole.UserRole): r
                for r in range(dialog.list.count())}
        left, right, width = ink_columns(dialog, rows["fa"])
        assert left > width / 2 and right > width - 40  # Persian: against the right edge
        left, right, width = ink_columns(dialog, rows["en"])
        assert left < 40 and right < width / 2  # English: against the left edge
    finally:
        i18n.apply_language(qapp, "en")


def test_the_title_does_not_name_the_app_twice(qapp, qtbot):
    for tag, shown in (("ary", "حافظة"), ("fa", "حافظه"), ("en", "Hafiza")):
        i18n.apply_language(qapp, tag)
        dialog = LanguageDialog(tag)
        qtbot.addWidget(dialog)
        # ending with the display name, Qt appends nothing
        assert dialog.windowTitle().endswith(shown)
        assert sorted(dialog.windowTitle().split(" · ")) == sorted(["Hafiza", "حافظة", "حافظه"])
    i18n.apply_language(qapp, "en")

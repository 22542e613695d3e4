import pytest

from hafiza.ui import i18n, theme
from hafiza.ui.app import Hafiza
from hafiza.ui.settings import Settings


@pytest.fixture
def hafiza(qapp, hafiza_home):
    """The application object on a fresh settings folder; afterwards its threads are
    stopped, its windows closed, and the language and theme put back for the next test."""
    controller = Hafiza(qapp, Settings())
    yield controller
    controller.shutdown()
    for window in controller.exercise_windows.values():
        window.close()
    if controller.window is not None:
        controller.window.close()
        controller.window.deleteLater()
    i18n.apply_language(qapp, "en")
    theme.apply_theme(qapp, "light")
    controller.deleteLater()

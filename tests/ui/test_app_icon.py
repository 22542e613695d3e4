"""ui.app.make_application gives every window Hafiza's icon, when the icon is there."""

from PySide6.QtGui import QIcon

from hafiza import paths
from hafiza.ui import app as app_module


def test_the_application_has_hafizas_icon(qapp):
    try:
        assert paths.ICON_FILE.is_file()
        app_module.make_application([])
        assert not qapp.windowIcon().isNull()
    finally:
        qapp.setWindowIcon(QIcon())


def test_a_missing_icon_is_skipped(qapp, monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "ICON_FILE", tmp_path / "no-icon.svg")
    qapp.setWindowIcon(QIcon())
    assert app_module.make_application([]) is qapp
    assert qapp.windowIcon().isNull()

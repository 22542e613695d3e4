"""The screen atlas (tools/screens.py): every screen opens without an error, in Persian, light,
at 1024x700, with the shortest trainings; each image shows something, and every window fits
a 1024x700 screen. Also the atlas' own checks (what counts as cut off, as blank) and
`main.py --theme`.

The atlas runs once, in a subprocess of its own: it owns its QApplication, its data folder
and its message handler, as `python tools/screens.py` does."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from screens_qt import is_blank, misfits  # noqa: E402

SIZE = "1024x700"
SCROLL_POINTS = ("top", "third", "two-thirds", "bottom")
# Dialogs the app has whatever other screens come and go.
DIALOGS = ("dialog-about", "dialog-choose-language", "dialog-export", "dialog-restore-backup",
           "dialog-imdb-import", "dialog-store-problem", "dialog-language-first-run",
           "dialog-progress-exported", "dialog-crash")


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):
    """The atlas' run: (the finished process, atlas.json, the image folder)."""
    out = tmp_path_factory.mktemp("atlas")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HAFIZA_HOME=str(out / "home"))
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "screens.py"), str(out / "images"), "--lang", "fa",
         "--theme", "light", "--size", SIZE, "--epochs", "1", "--check-fit"],
        env=env, capture_output=True, text=True, timeout=900, cwd=ROOT)
    report_file = out / "images" / "atlas.json"
    assert report_file.is_file(), done.stdout[-3000:] + done.stderr[-3000:]
    return done, json.loads(report_file.read_text(encoding="utf-8")), out / "images"


def expected_screens() -> set[str]:
    """What the built-in course must show: asked of the lesson files, not of the atlas."""
    from hafiza.engine.data import needs_import

    expected = {"outline-welcome", *DIALOGS}
    for lesson_file in sorted((ROOT / "lessons").glob("*/lesson.yaml")):
        lesson = yaml.safe_load(lesson_file.read_text(encoding="utf-8"))
        expected |= {f"lesson-{lesson['id']}-{point}" for point in SCROLL_POINTS}
        for exercise in lesson.get("exercises", []):
            name = exercise["id"]
            expected.add(f"exercise-{name}-before")
            if "playground" in exercise:
                expected.add(f"playground-{name}-{exercise['playground']}")
            elif not needs_import(exercise.get("dataset", {}).get("name", "")):
                expected |= {f"exercise-{name}-during", f"exercise-{name}-after"}
    return expected


def test_no_screen_fails_and_the_summary_says_so(atlas):
    done, report, _images = atlas
    assert report["failures"] == []
    summary = done.stdout.strip().splitlines()[-1]
    assert summary == report["summary"]
    screens = len(report["images"])
    images = sum(len(files) for files in report["images"].values())
    assert summary.startswith(f"atlas: {screens} screens, {images} images, ")


def test_every_expected_screen_has_its_image(atlas):
    _done, report, images = atlas
    missing = expected_screens() - set(report["images"])
    assert missing == set()
    for name, files in report["images"].items():
        assert files == [f"{name}__fa__light__{SIZE}.png"]
        assert (images / files[0]).is_file()
    assert len([name for name in report["images"] if name.startswith("block-")]) >= 5
    assert (images / "index.html").read_text(encoding="utf-8").count("<img ") == len(
        report["images"])


def test_no_image_is_one_colour(atlas):
    from PySide6.QtGui import QImage

    _done, report, images = atlas
    blank = [name for name, [file] in report["images"].items()
             if is_blank(QImage(str(images / file)))]
    assert blank == []


def test_every_window_fits_a_1024x700_screen(atlas):
    """Widgets a 1024x700 screen cuts off, per screen (those in a scroll area excepted)."""
    _done, report, _images = atlas
    assert report["misfits"] == []


# -- the atlas' own checks ------------------------------------------------------------------
def test_a_widget_past_the_screen_is_reported_unless_it_scrolls(qtbot):
    from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    window.resize(400, 300)
    QPushButton("inside", window).setGeometry(10, 10, 100, 30)
    QPushButton("cut off", window).setGeometry(350, 250, 100, 30)
    area = QScrollArea(window)
    area.setGeometry(0, 50, 200, 100)
    long_text = QLabel("scrolled to")
    long_text.setMinimumSize(150, 900)
    area.setWidget(long_text)
    window.show()
    assert misfits(window, 400, 300) == ["QPushButton 'cut off' at 350,250 100x30"]
    # on a smaller screen the window itself is reported, and what lies beyond it
    smaller = misfits(window, 300, 200)
    assert smaller[0] == "the window is 400x300, more than 300x200"
    assert len(smaller) == 2 and "cut off" in smaller[1]


def test_one_colour_is_blank_and_a_line_is_not(qapp):
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(200, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    assert is_blank(image)
    painter = QPainter(image)
    painter.fillRect(0, 40, 200, 20, QColor("black"))
    painter.end()
    assert not is_blank(image)


def test_the_theme_is_chosen_on_the_command_line():
    from hafiza.__main__ import THEME_CHOICES, parse_app_arguments
    from hafiza.store.preferences import THEMES

    assert THEME_CHOICES == THEMES
    args = parse_app_arguments(["--screenshot", "out.png", "--theme", "dark"])
    assert args.theme == "dark"
    assert parse_app_arguments([]).theme is None
    with pytest.raises(SystemExit):
        parse_app_arguments(["--theme", "purple"])

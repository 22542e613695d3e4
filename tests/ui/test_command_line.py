"""`main.py --screenshot` and the startup probe, run as real processes."""

import os
import subprocess
import sys

from conftest import ROOT
from PySide6.QtGui import QImage


def run_main(args, home, extra_env=None, timeout=120):
    env = {**os.environ, "HAFIZA_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )


def test_screenshot_renders_a_png_of_the_requested_size(tmp_path, qapp):
    out = tmp_path / "fa.png"
    result = run_main(
        ["--screenshot", str(out), "--lang", "fa", "--lesson", "sequences-rnn"]
        + ["--size", "900x600"],
        tmp_path / "home",
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)
    # a screenshot leaves the learner's settings alone
    assert not (tmp_path / "home" / "config" / "settings.ini").exists()


def test_bad_arguments_are_refused_with_a_message(tmp_path):
    result = run_main(["--size", "huge"], tmp_path / "home")
    assert result.returncode == 2
    assert "WIDTHxHEIGHT" in result.stderr
    result = run_main(["--lang", "de"], tmp_path / "home")
    assert result.returncode == 2


def test_window_is_shown_before_torch_is_imported(tmp_path):
    result = run_main(["--lang", "ary"], tmp_path / "home", {"HAFIZA_STARTUP_PROBE": "1"})
    assert result.returncode == 0, result.stderr
    assert "torch_loaded=False" in result.stdout


def test_a_screenshot_on_a_fresh_profile_never_asks_for_the_language(tmp_path):
    """No --lang and nothing remembered: the system's language, not the first-run dialog
    (which would wait for a click until the timeout)."""
    out = tmp_path / "shot.png"
    result = run_main(["--screenshot", str(out), "--size", "400x300"], tmp_path / "home",
                      {"LANG": "ar_EG.UTF-8", "LC_ALL": ""}, timeout=90)
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == 400


def test_an_unknown_lesson_is_named_and_nothing_opens(tmp_path):
    """Exit 2 before the event loop (the probe would print "shown" if a window opened)."""
    for extra in ([], ["--screenshot", str(tmp_path / "shot.png")]):
        result = run_main(["--lang", "en", "--lesson", "no-such-lesson", *extra],
                          tmp_path / "home", {"HAFIZA_STARTUP_PROBE": "1"}, timeout=60)
        assert result.returncode == 2
        assert "hafiza: no lesson with id 'no-such-lesson'" in result.stderr
        assert "shown" not in result.stdout
    assert not (tmp_path / "shot.png").exists()

import os
import sys
from pathlib import Path

# Headless Qt for every test; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


import pytest  # noqa: E402


@pytest.fixture
def hafiza_home(tmp_path, monkeypatch):
    """A fresh settings and data folder, so no test reads or writes the learner's own."""
    monkeypatch.setenv("HAFIZA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"

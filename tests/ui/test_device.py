"""The device is chosen once (the setting, or --device for one session, default the best
present), shown in the status bar, and used by every run and playground. This machine has
no accelerator, so CUDA is pretended where a test needs one: the same code paths run."""

import pytest
import torch

from hafiza.__main__ import parse_app_arguments
from hafiza.engine import runtime
from hafiza.engine.exercises import get_exercise
from hafiza.ui.playgrounds import create
from hafiza.ui.settings import Settings
from hafiza.ui.training import TrainingRun


@pytest.fixture
def session_device():
    """Restore the session's device after the test."""
    before = runtime.session_device()
    yield
    runtime._session_device = before


@pytest.fixture
def pretend_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=0: "Test GPU")




def test_the_device_setting_and_the_command_line(hafiza_home):
    settings = Settings()
    assert settings.device == "auto"
    settings.device = "cpu"
    assert Settings().device == "cpu"  # kept for next time
    with pytest.raises(ValueError):
        settings.device = "gpu"
    assert parse_app_arguments(["--device", "cuda"]).device == "cuda"
    assert parse_app_arguments([]).device is None
    with pytest.raises(SystemExit):
        parse_app_arguments(["--device", "tpu"])


def test_the_status_bar_names_the_device_and_the_menu_changes_it(
        hafiza, qtbot, session_device, pretend_cuda):
    window = hafiza.create_window("en")
    qtbot.addWidget(window)
    assert window.device_actions["auto"].isChecked()
    hafiza.engine.start()
    qtbot.waitUntil(lambda: hafiza.engine.state == "ready", timeout=60_000)
    assert runtime.session_device() == "cuda"  # "auto": the best present
    assert "CUDA (Test GPU)" in window.engine_label.text()
    offered = [name for name, action in window.device_actions.items() if action.isEnabled()]
    assert offered == ["auto", "cpu", "cuda"]  # no Apple GPU here

    window.device_actions["cpu"].trigger()  # View > Train on > CPU
    assert runtime.session_device() == "cpu"
    assert hafiza.settings.device == "cpu"
    assert "· CPU" in window.engine_label.text()


def test_runs_and_playgrounds_use_the_sessions_device(qtbot, monkeypatch, session_device,
                                                      pretend_cuda):
    runtime.use_device("auto")
    assert runtime.session_device() == "cuda"
    playground = create("activations")
    qtbot.addWidget(playground)
    assert playground.device == "cuda"

    asked = []
    import hafiza.engine.exercises as exercises

    real_prepare = exercises.prepare

    def spy(exercise, device="cpu"):
        asked.append(device)
        return real_prepare(exercise, device="cpu")  # no real GPU here to train on

    monkeypatch.setattr(exercises, "prepare", spy)
    run = TrainingRun(dict(get_exercise("mlp_xor"), hyperparameters={"epochs": 1}))
    with qtbot.waitSignal(run.ended, timeout=30_000):
        run.start()
    assert asked == ["cuda"]

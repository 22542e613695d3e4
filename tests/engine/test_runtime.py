"""How the app sets torch and Python up for training next to the GUI."""

import sys

import pytest
import torch

from hafiza.engine import runtime


def test_configure_for_app_leaves_a_core_to_the_gui_and_shortens_the_gil_interval():
    threads, interval = torch.get_num_threads(), sys.getswitchinterval()
    try:
        assert runtime.configure_for_app() == runtime.app_thread_count()
        assert torch.get_num_threads() == runtime.app_thread_count() >= 1
        assert sys.getswitchinterval() == pytest.approx(runtime.APP_SWITCH_INTERVAL)
        assert runtime.APP_SWITCH_INTERVAL < 0.005  # shorter than Python's default
    finally:
        torch.set_num_threads(threads)
        sys.setswitchinterval(interval)


@pytest.fixture
def accelerators(monkeypatch):
    """Pretend which accelerators torch finds: accelerators("cuda", "mps")."""

    def present(*names):
        monkeypatch.setattr(torch.cuda, "is_available", lambda: "cuda" in names)
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: "mps" in names)

    return present


def test_pick_device_is_the_cpu_on_this_machine():
    if torch.cuda.is_available() or torch.backends.mps.is_available():
        pytest.skip("this machine has an accelerator")
    assert runtime.pick_device() == "cpu"
    assert runtime.pick_device("cuda") == runtime.pick_device("mps") == "cpu"


@pytest.mark.parametrize("present, device", [
    ((), "cpu"), (("cuda",), "cuda"), (("mps",), "mps"), (("cuda", "mps"), "cuda"),
])
def test_pick_device_takes_an_accelerator_when_there_is_one(accelerators, present, device):
    accelerators(*present)
    assert runtime.pick_device() == device


@pytest.mark.parametrize("preferred, present, device", [
    ("cpu", ("cuda", "mps"), "cpu"),  # the learner asked for the CPU: never overruled
    ("mps", ("cuda", "mps"), "mps"),
    ("cuda", ("cuda", "mps"), "cuda"),
    ("cuda", ("mps",), "cpu"),  # asked for one that is missing: the CPU, not another one
    ("mps", ("cuda",), "cpu"),
])
def test_pick_device_honours_an_explicit_preference(accelerators, preferred, present, device):
    accelerators(*present)
    assert runtime.pick_device(preferred) == device


@pytest.mark.parametrize("name", ["gpu", "tpu", "vulkan"])
def test_pick_device_rejects_an_unknown_name(accelerators, name):
    accelerators("cuda")
    with pytest.raises(ValueError, match="cpu.*cuda.*mps"):
        runtime.pick_device(name)


def test_auto_is_the_best_device_present(accelerators):
    accelerators("mps")
    assert runtime.pick_device("auto") == runtime.pick_device(None) == "mps"
    assert runtime.DEVICE_CHOICES[0] == "auto" and set(runtime.DEVICES) < set(
        runtime.DEVICE_CHOICES)


def test_startup_objects_are_left_out_of_full_collections():
    import gc

    gc.unfreeze()
    runtime.freeze_startup_objects()
    try:
        assert gc.get_freeze_count() > 1000  # the modules and objects loaded so far
    finally:
        gc.unfreeze()

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

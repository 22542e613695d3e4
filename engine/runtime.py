"""How torch runs inside the app: threads, malloc arenas, device, warm-up.

Measured on the 2-core target machine (design/stack-notes.md):
- training with all cores doubles GUI lateness and collapses when anything else loads the
  machine, so the app leaves one core to the interface;
- glibc's per-thread malloc arenas made allocation-heavy torch code 2-3x slower in a worker
  thread; one arena restores main-thread speed;
- the first Adam optimizer costs ~1 s (it imports torch._dynamo), so it is warmed up once;
- the GUI thread's drawing holds the GIL in many short pieces; a 0.2 ms switch interval lets
  the training thread take it back sooner (APP_SWITCH_INTERVAL).
Importing this module does not import torch.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_ARENA_MAX = -8  # glibc's mallopt parameter number


def limit_malloc_arenas() -> bool:
    """One malloc arena for all threads (glibc only). Call before threads start allocating.

    Returns True when the setting was applied."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_ARENA_MAX, 1))
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False


def app_thread_count() -> int:
    return max(1, (os.cpu_count() or 1) - 1)


# Python's GIL switch interval inside the app. A thread waiting for the GIL asks its holder to
# let go after this long: at 0.2 ms (Python's default is 5 ms) the training thread takes the
# GIL back from the GUI thread's drawing sooner, and the GUI thread gets it sooner from the
# training thread. bench/gui_training.py (6 pairs a run): GUI timer lateness p99 1.8-3.3 ms
# -> 1.4-1.5 ms; app/plain for the small MLP 0.877 -> 0.888-0.928 and the LSTM 0.915 ->
# 0.941-0.997, gains within this shared machine's run-to-run noise.
APP_SWITCH_INTERVAL = 0.0002


def configure_for_app() -> int:
    """torch threads for training inside the app (cores - 1), one malloc arena (glibc) and a
    short GIL switch interval. Returns the thread count set."""
    limit_malloc_arenas()
    sys.setswitchinterval(APP_SWITCH_INTERVAL)
    import torch

    threads = app_thread_count()
    torch.set_num_threads(threads)
    return threads


# The devices a learner may ask for; "auto" (or None) takes the best one present.
DEVICES = ("cpu", "cuda", "mps")
DEVICE_CHOICES = ("auto", *DEVICES)


def pick_device(preferred: str | None = None) -> str:
    """The device to train and predict on, chosen once per session (setting or --device):
    'cuda', then Apple's 'mps', when present and not ruled out by ``preferred``; else 'cpu'.
    Asking for an accelerator that is not present gives 'cpu' (a setting saved on another
    computer still opens); an unknown name is an error."""
    if preferred == "auto":
        preferred = None
    if preferred is not None and preferred not in DEVICES:
        raise ValueError(f"device must be one of {', '.join(DEVICES)} (or auto: the best one "
                         f"present), not {preferred!r}")
    if preferred == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available() and preferred in (None, "cuda"):
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available() and preferred in (None, "mps"):
        return "mps"
    return "cpu"


# The device this session trains and predicts on: chosen once the engine is loaded
# (use_device), read by every run and playground (session_device). The CPU until then.
_session_device = "cpu"


def use_device(preferred: str | None = None) -> str:
    """Choose the session's device (see pick_device) and return it."""
    global _session_device
    _session_device = pick_device(preferred)
    return _session_device


def session_device() -> str:
    return _session_device


def describe_device(device: str) -> str:
    """A short name for the status bar: 'CPU', 'CUDA (NVIDIA H100)', 'Apple GPU (MPS)'."""
    if device == "cuda":
        import torch

        return f"CUDA ({torch.cuda.get_device_name(0)})"
    return {"mps": "Apple GPU (MPS)"}.get(device, "CPU")


def freeze_startup_objects() -> None:
    """Hands the objects alive after startup (torch, Qt, pyqtgraph, the lessons: about a
    million) to the garbage collector's permanent generation, so a full collection no
    longer scans them. Measured (bench/gui_training.py, MLP): a full collection that
    started in the training thread held the GIL for 140-200 ms, and the window froze that
    long once in most runs; frozen, the worst GUI timer lateness stays under 10 ms. Call
    once, after the engine has loaded."""
    import gc

    gc.freeze()


def warm_up() -> None:
    """Pays torch's one-time costs (optimizer imports, first kernels) before the learner waits."""
    import torch

    layer = torch.nn.Linear(2, 1)
    optimizer = torch.optim.Adam(layer.parameters(), lr=1e-3)
    loss = layer(torch.zeros(1, 2)).pow(2).mean()
    loss.backward()
    optimizer.step()

"""Time to the first shown window, over fresh processes (goal: median ≤ 0.6 s).

    python bench/startup.py [--runs 5] [--lang fa]

Each run starts `main.py` in a new Python process (offscreen, a fresh settings folder) with
HAFIZA_STARTUP_PROBE=1: the app prints the wall-clock time once its window is shown and
quits. The figure is that time minus the moment just before the process was spawned, so it
includes interpreter start-up and every import. It also checks torch was not loaded yet.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 0.6


def one_run(lang: str) -> tuple[float, bool]:
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HAFIZA_HOME": home,
            "HAFIZA_STARTUP_PROBE": "1",
        }
        started = time.time()
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--lang", lang],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
        )
    line = next(line for line in result.stdout.splitlines() if line.startswith("shown "))
    _, shown_at, torch_flag = line.split()
    return float(shown_at) - started, torch_flag == "torch_loaded=True"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lang", default="fa")
    args = parser.parse_args()
    one_run(args.lang)  # warm the OS file cache once, as a second launch would be
    times = []
    for run in range(args.runs):
        seconds, torch_loaded = one_run(args.lang)
        times.append(seconds)
        print(f"run {run + 1}: {seconds:.3f} s to the first shown window"
              + ("  (torch was already loaded!)" if torch_loaded else ""))
    median = statistics.median(times)
    verdict = "meets" if median <= GOAL_SECONDS else "MISSES"
    print(f"median over {args.runs} fresh processes: {median:.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}); {verdict} the {GOAL_SECONDS} s goal")
    return 0


if __name__ == "__main__":
    sys.exit(main())

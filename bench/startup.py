"""Time to the first shown window, over fresh processes (goal: median ≤ 0.6 s), and the
bundle's against the source install's (goal: bundle ÷ source ≤ 1.3).

    python bench/startup.py [--runs 5] [--lang fa] [--bundle dist/hafiza/hafiza]

Each run starts Hafiza in a new process (offscreen, a fresh settings folder) with
HAFIZA_STARTUP_PROBE=1: the app prints the wall-clock time once its window is shown and
quits. The figure is that time minus the moment just before the process was spawned, so it
includes interpreter start-up and every import. It also checks torch was not loaded yet.
With --bundle, the runs alternate: source (`python main.py`), bundle, source, ... so that the
machine's drift falls on both alike; the ratio is of the two medians.
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
GOAL_BUNDLE_RATIO = 1.3


def one_run(command: list[str], lang: str) -> tuple[float, bool]:
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HAFIZA_HOME": home,
            "HAFIZA_STARTUP_PROBE": "1",
        }
        started = time.time()
        result = subprocess.run(
            [*command, "--lang", lang],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
        )
    line = next(line for line in result.stdout.splitlines() if line.startswith("shown "))
    _, shown_at, torch_flag = line.split()
    return float(shown_at) - started, torch_flag == "torch_loaded=True"


def report(label: str, times: list[float]) -> float:
    median = statistics.median(times)
    verdict = "meets" if median <= GOAL_SECONDS else "MISSES"
    print(f"{label}: median over {len(times)} fresh processes: {median:.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}); {verdict} the {GOAL_SECONDS} s goal")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lang", default="fa")
    parser.add_argument("--bundle", type=Path, help="the bundle's executable, to compare")
    args = parser.parse_args()
    commands = {"source": [sys.executable, str(ROOT / "main.py")]}
    if args.bundle is not None:
        commands["bundle"] = [str(args.bundle.resolve())]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        one_run(command, args.lang)  # warm the OS file cache once, as a second launch would be
    for run in range(args.runs):
        for name, command in commands.items():
            seconds, torch_loaded = one_run(command, args.lang)
            times[name].append(seconds)
            print(f"{name} run {run + 1}: {seconds:.3f} s to the first shown window"
                  + ("  (torch was already loaded!)" if torch_loaded else ""))
    medians = {name: report(name, values) for name, values in times.items()}
    if "bundle" in medians:
        ratio = medians["bundle"] / medians["source"]
        verdict = "met" if ratio <= GOAL_BUNDLE_RATIO else "MISSED"
        print(f"bundle / source = {ratio:.2f} (goal <= {GOAL_BUNDLE_RATIO}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

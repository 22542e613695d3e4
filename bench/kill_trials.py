"""Kill -9 Hafiza in the middle of its writes, then start it again: nothing committed before
the kill may be lost, and nothing half-written may be left after the next start. Outside CI.

    python bench/kill_trials.py [--trials 100] [--what pack,train,checkpoint,progress]
                                [--seed 0]

For each kind, each trial starts a child under a fresh HAFIZA_HOME that has committed work
already in it (a library lesson, a progress.db with lessons and a finished run), lets it
work, and SIGKILLs it at a random moment (0 to --window seconds after it said it started):
- pack:       installs lesson packs one after another (`hafiza lessons import --yes`);
- train:      trains an exercise, records the run and its curve, saves its model;
- checkpoint: saves a 5-million-parameter model again and again to the same file;
- progress:   quiz answers, reading positions and curve points, each acknowledged.
Each piece of work the child finished is acknowledged on its stdout after it returned.
Then "the next start" runs in a new process: the app's start-up sweeps
(`engine.checkpoints.sweep_partial_files`, `lessonlib ... sweep_staging`, when present) and
opening the store. Checked after it: the database passes its integrity check and holds the
seeded rows and every acknowledged write; every acknowledged lesson and model is whole; no
leftovers (*.partial, *.tmp, .incoming-*, .old-*, import-* staging folders, temp files).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("pack", "train", "checkpoint", "progress")
# Seconds after the child's start within which the kill lands: a few pieces of each work.
WINDOWS = {"pack": 8.0, "train": 4.0, "checkpoint": 2.0, "progress": 1.0}

PRELUDE = r"""
import os, sys, json
sys.path.insert(0, sys.argv[1])
from pathlib import Path
home = Path(os.environ["HAFIZA_HOME"])
def ack(*words):
    print(*words, flush=True)
"""

CHILDREN = {
    "pack": PRELUDE + r"""
import struct, zipfile, zlib
from hafiza.__main__ import main

def png(side):  # a real PNG of random pixels, about 3 * side * side bytes
    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc
    rows = b"".join(b"\0" + os.urandom(3 * side) for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b""))
ack("started")
i = 0
while True:
    pack = home / "input" / f"p{i}.hafiza"
    with zipfile.ZipFile(pack, "w", zipfile.ZIP_STORED) as z:
        z.writestr("hafiza-pack.json", json.dumps({"format": 1, "lessons": [f"l{i}"]}))
        z.writestr(f"l{i}/lesson.yaml", f"id: l{i}\norder: 1\ntitle:\n  en: L{i}\n")
        z.writestr(f"l{i}/en.md", "# L\n\n![f](figures/f.png)\n")
        figure = png(1000)
        z.writestr(f"l{i}/figures/f.png", figure)
    sys.stdout = open(os.devnull, "w")
    code = main(["lessons", "import", str(pack), "--yes"])
    sys.stdout = sys.__stdout__
    if code == 0:
        ack("lesson", f"l{i}", len(figure))
    i += 1
""",
    "train": PRELUDE + r"""
from hafiza.engine.checkpoints import save_checkpoint
from hafiza.engine.events import EpochEnd, Finished
from hafiza.engine.exercises import apply_overrides, get_exercise, prepare
from hafiza.store import open_store
store = open_store()
ack("started")
while True:
    exercise = apply_overrides(get_exercise("mlp_circles"), {"epochs": "5"})
    run = prepare(exercise)
    record = store.runs.create("mlp_circles", {"epochs": 5})
    for event in run.fit():
        if isinstance(event, EpochEnd):
            store.runs.append_points(record.id, [{"step": event.epoch, "epoch": event.epoch,
                                                  **event.metrics}])
        if isinstance(event, Finished):
            path = store.runs.model_path(record)
            save_checkpoint(path, run.model, None, event.metrics, {"exercise": "mlp_circles"})
            store.runs.finish(record.id, "finished", event.metrics, path)
            ack("run", record.uid)
""",
    "checkpoint": PRELUDE + r"""
from hafiza.engine.checkpoints import save_checkpoint
from hafiza.engine.models import build_model
model = build_model(["Dense(2000, tanh)", "Dense(2000, tanh)", "Dense(1, sigmoid)"], (500,))
target = home / "data" / "models" / "big.pt"
target.parent.mkdir(parents=True, exist_ok=True)
ack("started")
i = 0
while True:
    save_checkpoint(target, model, None, {"loss": float(i)})
    ack("checkpoint", i)
    i += 1
""",
    "progress": PRELUDE + r"""
from hafiza.store import open_store
store = open_store()
run = store.runs.create("kill-trial", {})
ack("started")
i = 0
while True:
    if i % 3 == 0:
        ack("answer", store.progress.record_answer("kill-lesson", f"q{i}", {"c": i}, True))
    elif i % 3 == 1:
        store.progress.set_position(f"kill-{i % 4}", (i % 100) / 100)
        ack("position", i)
    else:
        store.runs.append_points(run.id, [{"step": i, "epoch": 1, "loss": 1 / (i + 1)}])
        ack("point", run.id, i)
    i += 1
""",
}

NEXT_START = PRELUDE + r"""
swept = {}
if sys.argv[2:] == ["--no-sweep"]:
    raise SystemExit(0)
try:
    from hafiza.engine.checkpoints import sweep_partial_files
    swept["partial checkpoints"] = sweep_partial_files()
except ImportError:
    swept["partial checkpoints"] = "no sweep_partial_files"
for module in ("hafiza.lessonlib.library", "hafiza.lessonlib.packs"):
    try:
        sweep = getattr(__import__(module, fromlist=["x"]), "sweep_staging")
    except (ImportError, AttributeError):
        continue
    swept["staging folders"] = sweep()
    break
else:
    swept["staging folders"] = "no sweep_staging"
from hafiza.store import open_store
store = open_store()
swept["recovered_from"] = str(store.db.recovered_from or "")
store.close()
ack(json.dumps(swept))
"""

LEFTOVER_SUFFIXES = (".partial", ".tmp")
LEFTOVER_PREFIXES = (".incoming-", ".old-", "import-")


def seed(home: Path) -> str:
    """Committed work from before the trial: a library lesson and a finished run."""
    sys.path.insert(0, str(ROOT))
    os.environ["HAFIZA_HOME"] = str(home)
    from hafiza.store import open_store

    lesson = home / "data" / "lessons" / "kept-lesson"
    lesson.mkdir(parents=True)
    (lesson / "lesson.yaml").write_text("id: kept-lesson\norder: 9\ntitle:\n  en: Kept\n")
    (lesson / "en.md").write_text("# Kept\n\nText.\n")
    (home / "input").mkdir()
    (home / "tmp").mkdir()
    store = open_store()
    for name in ("kept-1", "kept-2"):
        store.progress.lesson_opened(name)
    run = store.runs.create("mlp_xor", {})
    store.runs.append_points(run.id, [{"step": 1, "epoch": 1, "loss": 0.5}])
    store.runs.finish(run.id, "finished", {"loss": 0.5})
    store.close()
    return run.uid


def child_env(home: Path) -> dict:
    return {**os.environ, "HAFIZA_HOME": str(home), "TMPDIR": str(home / "tmp"),
            "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1"}


def run_trial(kind: str, home: Path, rng: random.Random, window: float,
              sweep: bool = True) -> tuple[list, list, int]:
    """One kill and one next start; returns (losses, leftovers, pieces of work the child
    acknowledged before the kill)."""
    seeded_uid = seed(home)
    child = subprocess.Popen([sys.executable, "-c", CHILDREN[kind], str(ROOT)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=child_env(home), cwd=home / "input")
    acknowledged = []
    line = child.stdout.readline().decode().split()
    if line != ["started"]:
        child.kill()
        return [f"the child did not start: {child.stderr.read().decode()[-500:]}"], [], 0
    time.sleep(rng.uniform(0, window))
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    # Only whole lines count: the kill can cut the last one in the middle of being printed.
    lines = child.stdout.read().decode().splitlines(keepends=True)
    acknowledged = [text.split() for text in lines if text.endswith("\n") and text.strip()]
    nxt = subprocess.run([sys.executable, "-c", NEXT_START, str(ROOT),
                          *([] if sweep else ["--no-sweep"])], capture_output=True,
                         env=child_env(home), cwd=home / "input", timeout=120)
    if nxt.returncode != 0:
        return [f"the next start failed: {nxt.stderr.decode()[-500:]}"], [], 0
    return check(kind, home, seeded_uid, acknowledged), leftovers(home), len(acknowledged)


def check(kind: str, home: Path, seeded_uid: str, acknowledged: list) -> list:
    losses = []
    db = home / "data" / "progress.db"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            losses.append("integrity check failed")
        lessons = {r[0] for r in conn.execute("SELECT lesson_id FROM lessons")}
        runs = dict(conn.execute("SELECT uid, status FROM runs"))
        answers = {r[0] for r in conn.execute("SELECT id FROM quiz_answers")}
        points = {(r[0], r[1]) for r in conn.execute("SELECT run_id, step FROM run_points")}
    finally:
        conn.close()
    if not {"kept-1", "kept-2"} <= lessons or seeded_uid not in runs:
        losses.append("seeded rows")
    if not (home / "data" / "lessons" / "kept-lesson" / "en.md").is_file():
        losses.append("seeded library lesson")
    for words in acknowledged:
        what = words[0]
        if what == "answer" and int(words[1]) not in answers:
            losses.append(f"answer {words[1]}")
        elif what == "point" and (int(words[1]), int(words[2])) not in points:
            losses.append(f"point {words[2]}")
        elif what == "position" and f"kill-{int(words[1]) % 4}" not in lessons:
            losses.append(f"position {words[1]}")
        elif what == "lesson":
            folder = home / "data" / "lessons" / words[1]
            figure = folder / "figures" / "f.png"
            if not figure.is_file() or figure.stat().st_size != int(words[2]):
                losses.append(f"lesson {words[1]}")
        elif what == "run":
            model = home / "data" / "models" / f"{words[1]}.pt"
            if runs.get(words[1]) != "finished" or not _loads(model):
                losses.append(f"run {words[1]}")
    if kind == "checkpoint" and any(w[0] == "checkpoint" for w in acknowledged):
        if not _loads(home / "data" / "models" / "big.pt"):
            losses.append("the saved checkpoint")
    return losses


def _loads(path: Path) -> bool:
    from hafiza.engine.checkpoints import CheckpointError, load_checkpoint

    try:
        load_checkpoint(path)
    except (CheckpointError, OSError):
        return False
    return True


def leftovers(home: Path) -> list:
    found = []
    for path in (home / "data").rglob("*"):
        if path.name.endswith(LEFTOVER_SUFFIXES) or path.name.startswith(LEFTOVER_PREFIXES):
            found.append(str(path.relative_to(home)))
    found += [f"tmp/{p.name}" for p in (home / "tmp").iterdir()
              if not p.name.startswith("torchinductor")]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100, help="kills per kind")
    parser.add_argument("--what", default=",".join(KINDS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-sweep", action="store_true",
                        help="skip the start-up sweeps: shows what they have to clean")
    parser.add_argument("--window", type=float, default=None,
                        help="the kill lands 0 to this many seconds after the start "
                             "(default: per kind, a few pieces of its work)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    kinds = [k.strip() for k in args.what.split(",") if k.strip()]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        parser.error(f"unknown kind(s) {', '.join(unknown)}; known: {', '.join(KINDS)}")
    totals = {}
    for kind in kinds:
        lost_trials, left_trials, examples, done = 0, 0, [], 0
        for trial in range(args.trials):
            home = Path(tempfile.mkdtemp(prefix=f"hafiza-kill-{kind}-"))
            try:
                losses, left, work = run_trial(kind, home, rng, args.window or WINDOWS[kind],
                                               not args.no_sweep)
                done += work
            finally:
                shutil.rmtree(home, ignore_errors=True)
            lost_trials += bool(losses)
            left_trials += bool(left)
            if (losses or left) and len(examples) < 5:
                examples.append(f"trial {trial}: lost {losses[:3]}, left {left[:3]}")
        totals[kind] = (args.trials, lost_trials, left_trials)
        print(f"{kind:11} {args.trials} kills: {lost_trials} with losses, "
              f"{left_trials} with leftovers after the next start "
              f"({done} pieces of work acknowledged before the kills)", flush=True)
        for example in examples:
            print(f"    {example}")
    print("\nkind        kills  losses  leftovers   (goal: 0 and 0)")
    for kind, (trials, lost, left) in totals.items():
        print(f"{kind:11} {trials:6} {lost:7} {left:10}")
    print(json.dumps({k: {"kills": t, "losses": lo, "leftovers": le}
                      for k, (t, lo, le) in totals.items()}))
    return 1 if any(lo or le for _, lo, le in totals.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

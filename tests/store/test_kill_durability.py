"""SIGKILL a process writing progress, 100 times: the database stays consistent and keeps
every write the process acknowledged (printed after its commit returned).

Where each kill lands is chosen by waiting for the child's own lines, not by sleeping: one
kill in ten as soon as it starts opening the database (opening, WAL recovery, creating the
schema), the others after a random number of acknowledged writes, while it goes on writing.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys

from conftest import ROOT

KILLS = 100
POINTS_PER_STEP = 3  # metrics per step in each batch of the child's run
STEPS_PER_BATCH = 20

CHILD = r"""
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from hafiza.store import open_store

out = sys.stdout
out.write("opening\n"); out.flush()
store = open_store(Path(sys.argv[2]))
if sys.argv[3] == "small-checkpoints":
    store.db.conn.execute("PRAGMA wal_autocheckpoint = 8")  # checkpoints mid-run, too
out.write("ready\n"); out.flush()
run = store.runs.create("kill-test", {"seed": int(sys.argv[4])})
out.write(f"run {run.id}\n"); out.flush()
i = 0
step = 0
while True:
    kind = i % 3
    if kind == 0:
        answer_id = store.progress.record_answer("lesson-kill", f"q{i}", {"choice": i}, i % 2 == 0)
        out.write(f"answer {answer_id}\n")
    elif kind == 1:
        store.progress.set_position(f"lesson-{i % 5}", (i % 100) / 100)
        out.write(f"position {i}\n")
    else:
        batch = [{"step": step + k, "epoch": 1, "loss": 1.0 / (step + k + 1),
                  "accuracy": 0.5, "val_loss": 2.0} for k in range(STEPS)]
        store.runs.append_points(run.id, batch)
        step += STEPS
        out.write(f"points {run.id} {step}\n")
    out.flush()
    i += 1
""".replace("STEPS", str(STEPS_PER_BATCH))


def _spawn(db, mode, seed):
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ROOT), str(db), mode, str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONHASHSEED": "0"},
    )


def _read_lines(proc, count):
    """The child's next `count` lines (each one acknowledged: it is printed after its write
    returned), waiting for them; fails with the child's errors if it ended first."""
    lines = []
    for _ in range(count):
        line = proc.stdout.readline()
        assert line.endswith(b"\n"), proc.stderr.read().decode()
        lines.append(line.decode())
    return lines


def test_sigkill_at_any_moment_keeps_every_acknowledged_write(tmp_path):
    db = tmp_path / "progress.db"
    rng = random.Random(20260509)
    acknowledged_answers: set[int] = set()
    acknowledged_points: dict[int, int] = {}  # run id -> steps acknowledged
    answers_seen_before_kills = 0
    results = []
    for kill in range(KILLS):
        mode = "small-checkpoints" if kill % 2 else "default"
        proc = _spawn(db, mode, kill)
        seen = _read_lines(proc, 1)
        assert seen == ["opening\n"]
        if kill % 10 != 9:  # else: kill it while it opens the database
            seen += _read_lines(proc, 2)  # "ready", then "run <id>"
            writes = _read_lines(proc, rng.randint(0, 30))
            answers_seen_before_kills += sum(line.startswith("answer ") for line in writes)
            seen += writes
        proc.send_signal(signal.SIGKILL)
        # read() and not communicate(): it also returns what readline() already buffered
        with proc.stdout, proc.stderr:
            out, err = proc.stdout.read(), proc.stderr.read()
        assert proc.wait(timeout=20) == -signal.SIGKILL, err.decode()
        for line in seen + out.decode().splitlines(keepends=True):
            if not line.endswith("\n"):
                continue  # cut by the kill: not acknowledged
            words = line.split()
            if words[0] == "answer":
                acknowledged_answers.add(int(words[1]))
            elif words[0] == "points":
                run_id, steps = int(words[1]), int(words[2])
                acknowledged_points[run_id] = max(acknowledged_points.get(run_id, 0), steps)

        # An independent connection: WAL recovery, then the checks.
        conn = sqlite3.connect(db)
        try:
            results.append(conn.execute("PRAGMA integrity_check").fetchall())
            ids = {row[0] for row in conn.execute("SELECT id FROM quiz_answers")}
            missing = acknowledged_answers - ids
            assert not missing, f"kill {kill}: lost acknowledged answers {sorted(missing)[:5]}"
            for run_id, steps in acknowledged_points.items():
                count = conn.execute(
                    "SELECT COUNT(*) FROM run_points WHERE run_id = ?", (run_id,)
                ).fetchone()[0]
                assert count >= steps * POINTS_PER_STEP, f"kill {kill}: run {run_id} lost points"
            # batches are atomic: never a part of one
            for run_id, count in conn.execute(
                "SELECT run_id, COUNT(*) FROM run_points GROUP BY run_id"
            ):
                assert count % (STEPS_PER_BATCH * POINTS_PER_STEP) == 0, (kill, run_id, count)
        finally:
            conn.close()
    assert results == [[("ok",)]] * KILLS
    # the kills did land among the writes: every answer read before a kill was kept
    assert answers_seen_before_kills > KILLS // 5
    assert len(acknowledged_answers) >= answers_seen_before_kills
    print(f"\n{KILLS} kills; integrity ok {KILLS}/{KILLS}; "
          f"{len(acknowledged_answers)} acknowledged answers and "
          f"{sum(acknowledged_points.values()) * POINTS_PER_STEP} acknowledged points kept")

"""TrainControl, the one pause/step/stop state machine: the training loop and every ui task
(ui.worker.TaskState) rely on exactly these answers."""

import threading

from hafiza.engine.control import TrainControl


def test_a_fresh_control_asks_for_nothing_and_says_go():
    control = TrainControl()
    assert not control.attention and not control.paused and not control.stopped
    assert control.poll() == "go"


def test_pause_waits_and_resume_goes_on():
    control = TrainControl()
    control.pause()
    assert control.attention and control.paused
    assert control.poll() == "wait"
    control.resume()
    assert not control.attention and control.poll() == "go"


def test_a_step_grants_exactly_one_go_then_waits_again():
    control = TrainControl()
    control.pause()
    control.step()
    assert control.poll() == "go"
    assert control.poll() == "wait"
    control.step()
    control.resume()  # resuming drops a step not taken yet: nothing is owed afterwards
    control.pause()
    assert control.poll() == "wait"


def test_stop_wins_over_pause_and_wakes_a_waiting_thread():
    control = TrainControl()
    control.pause()
    verdicts = []

    def loop():
        verdict = control.poll()
        while verdict == "wait":
            control.wait()
            verdict = control.poll()
        verdicts.append(verdict)

    thread = threading.Thread(target=loop)
    thread.start()
    control.stop()
    thread.join(5)
    assert not thread.is_alive() and verdicts == ["stop"]
    control.resume()
    assert control.attention and control.poll() == "stop"  # a stop is for good

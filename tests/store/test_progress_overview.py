"""What the outline and "continue where you left off" read from the progress store."""

from hafiza.store import open_store
from hafiza.store.progress import LessonStatus

COURSE = ["one", "two", "three"]


def test_statuses_say_opened_completed_and_the_latest_score(hafiza_home):
    progress = open_store().progress
    assert progress.statuses() == {}
    progress.lesson_opened("one")
    progress.mark_completed("one")
    progress.lesson_opened("two")
    progress.record_answer("two", "q1", 0, False)
    progress.record_answer("two", "q1", 1, True)  # the latest answer counts
    progress.record_answer("two", "q2", 3, False)
    progress.record_answer("three", "q1", 2, True)  # answered without opening (an import)
    assert progress.statuses() == {
        "one": LessonStatus(opened=True, completed=True, answered=0, correct=0),
        "two": LessonStatus(opened=True, completed=False, answered=2, correct=1),
        "three": LessonStatus(opened=False, completed=False, answered=1, correct=1),
    }


def test_resume_point_is_the_last_lesson_at_its_position(hafiza_home):
    progress = open_store().progress
    assert progress.resume_point(COURSE) is None  # nothing opened yet
    progress.lesson_opened("two")
    progress.set_position("two", 0.4)
    assert progress.resume_point(COURSE) == ("two", 0.4)


def test_resume_point_moves_on_once_the_last_lesson_is_completed(hafiza_home):
    progress = open_store().progress
    progress.lesson_opened("one")
    progress.mark_completed("one")
    progress.lesson_opened("two")
    progress.set_position("two", 1.0)
    progress.mark_completed("two")
    assert progress.resume_point(COURSE) == ("three", 0.0)
    progress.mark_completed("three")
    assert progress.resume_point(COURSE) is None  # the whole course is done
    assert progress.resume_point(["other"]) is None  # a lesson no longer in the course

"""The checker warns when a lesson's right answers cluster in one place (issue 19), once
for all the varieties that share the pattern."""

from hafiza.lessonlib.checker import check_lesson


def choice(quiz_id: str, right: int, options: int = 4) -> str:
    lines = [f"```quiz\nid: {quiz_id}\ntype: single\nquestion: Q {quiz_id}?\noptions:"]
    for index in range(options):
        lines.append(f"  - text: option {index}" + ("\n    correct: true" if index == right
                                                     else ""))
    return "\n".join(lines) + "\n```\n\n"


def lesson(tmp_path, places: list[int], varieties=("en", "fa")):
    folder = tmp_path / "quizzes"
    folder.mkdir()
    titles = "".join(f"  {tag}: T\n" for tag in varieties)
    (folder / "lesson.yaml").write_text(f"id: quizzes\norder: 1\ntitle:\n{titles}",
                                        encoding="utf-8")
    body = "# T\n\nText.\n\n" + "".join(choice(f"q{n}", p) for n, p in enumerate(places))
    for tag in varieties:
        (folder / f"{tag}.md").write_text(body, encoding="utf-8")
    return folder


def clustered(problems):
    return [p for p in problems if "right answer is option" in p.message]


def test_right_answers_all_first_are_warned_about_once(tmp_path):
    found = clustered(check_lesson(lesson(tmp_path, [0, 0, 0, 1, 0])))
    assert len(found) == 1
    (problem,) = found
    assert problem.severity == "warning"
    # at the first such quiz of the first text in the varieties' order, naming the others
    assert problem.path.name == "fa.md" and problem.line == 5
    assert "option 1 in 4 of the 5" in problem.message and "en.md" in problem.message


def test_answers_spread_over_the_places_pass(tmp_path):
    assert clustered(check_lesson(lesson(tmp_path, [0, 2, 1, 3, 2]))) == []


def test_too_few_quizzes_say_nothing(tmp_path):
    assert clustered(check_lesson(lesson(tmp_path, [0, 0, 0]))) == []

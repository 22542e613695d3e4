"""The two fences a lesson's Markdown may hold besides code: ```` ```quiz ```` (YAML: id,
type, question, options or a numeric answer) and ```` ```exercise ```` (the id of an
exercise of lesson.yaml). Each becomes its block, or a ProblemBlock with the problems said.
"""

from __future__ import annotations

import re
from typing import Any

from hafiza.lessonlib.markdown_inline import InlineSink, rich_html
from hafiza.lessonlib.model import (
    QUIZ_KINDS,
    Block,
    ExerciseBlock,
    LessonError,
    ProblemBlock,
    QuizBlock,
    QuizOption,
)
from hafiza.lessonlib.parse_state import ParseState
from hafiza.lessonlib.schema import line_of, read_yaml
from hafiza.words import _

QUIZ_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$")
QUIZ_FIELDS = {"id", "type", "question", "options", "answer", "tolerance", "explain"}
OPTION_FIELDS = ("text", "correct", "explain")


def fence_yaml(state: ParseState, content: str, line: int, what: str) -> Any:
    """The fence's YAML, or None with a problem on the line where the YAML goes wrong."""
    return fence_yaml_and_node(state, content, line, what)[0]


def fence_yaml_and_node(state: ParseState, content: str, line: int, what: str):
    """(the fence's YAML, its composed node for the lines of its fields), or (None, None)
    with a problem on the line where the YAML goes wrong."""
    try:
        return read_yaml(content, state.path)
    except LessonError as error:
        # the fence's content starts on the line after the ``` line
        state.problem(line + error.line, f"{what}: {error.message}")
        return None, None


class QuizMistakes(list):
    """What is wrong in a quiz, as messages, each with the path of the field it concerns
    (`("options", 2, "correct")`; empty: the quiz as a whole), so that the checker says it at
    that field's line rather than the fence's."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[tuple] = []

    def add(self, message: str, *path) -> None:
        self.append(message)
        self.paths.append(path)


def quiz_block(state: ParseState, content: str, line: int) -> Block:
    data, node = fence_yaml_and_node(state, content, line, "quiz")
    if data is None:
        said = state.problems[-1]  # fence_yaml's: the line and words the checker gives too
        return ProblemBlock(said.line, said.message, about="quiz")
    errors = QuizMistakes()
    quiz = build_quiz(state, data, line, errors)
    places = []
    for message, path in zip(errors, errors.paths, strict=True):
        # the fence's content starts on the line after the ``` line
        places.append(line + line_of(node, list(path), key_itself=True) if path else line)
        state.problem(places[-1], _("quiz: {problem}").format(problem=message))
    if quiz is None:  # the page's box says the checker's (first) line
        return ProblemBlock(places[0] if places else line,
                            _("quiz: {problem}").format(problem="; ".join(errors)),
                            about="quiz")
    if quiz.id in state.quiz_ids:
        state.problem(line, _("quiz id {id} is used twice (first on line {line})").format(
            id=repr(quiz.id), line=state.quiz_ids[quiz.id]))
    state.quiz_ids.setdefault(quiz.id, line)
    return quiz


def exercise_block(state: ParseState, content: str, line: int) -> Block:
    data = fence_yaml(state, content, line, "exercise")
    exercise_id = data.get("id") if isinstance(data, dict) else data
    if not isinstance(exercise_id, str) or not exercise_id.strip():
        state.problem(line, _("exercise: write the id of an exercise of lesson.yaml (id: NAME)"))
        return ProblemBlock(line, _("exercise without an id"))
    exercise_id = exercise_id.strip()
    exercise = None
    if state.lesson is not None:
        exercise = state.lesson.exercises.get(exercise_id)
        if exercise is None:
            state.problem(line, _("exercise {id} is not defined in lesson.yaml (exercises:)")
                          .format(id=repr(exercise_id)))
            return ProblemBlock(line, _("unknown exercise {id}").format(id=exercise_id))
    return ExerciseBlock(line, exercise_id, exercise)


def build_quiz(state: ParseState, data: Any, line: int,
               errors: QuizMistakes) -> QuizBlock | None:
    """The quiz `data` describes; what is wrong goes into `errors` (None when anything is)."""
    if not isinstance(data, dict):
        errors.add(_("a quiz is a mapping with id, type, question…"))
        return None
    unknown = sorted(str(k) for k in data if k not in QUIZ_FIELDS)
    if unknown:
        errors.add(_("unknown field {field} (known: {known})").format(
            field=repr(unknown[0]), known=", ".join(sorted(QUIZ_FIELDS))), unknown[0])
    quiz_id, kind, question = data.get("id"), data.get("type", "single"), data.get("question")
    if quiz_id is None:
        errors.add(_("the quiz has no id: add a line `id: a-short-name` (letters, digits, - "
                     "and _), the same in every variety, since answers are kept by it"))
    elif not isinstance(quiz_id, str) or not QUIZ_ID.match(quiz_id):
        errors.add(_("id must be a short name of letters, digits, - and _"), "id")
    if kind not in QUIZ_KINDS:
        errors.add(_("type must be one of {kinds}").format(kinds=", ".join(QUIZ_KINDS)), "type")
    if not isinstance(question, str) or not question.strip():
        errors.add(_("question must be a text"), "question")
    if errors:
        return None
    sink = InlineSink()
    quiz = QuizBlock(line, quiz_id, kind, rich_html(state, question, line, sink))
    quiz.explanation_html = rich_html(state, data.get("explain", ""), line, sink)
    if kind == "numeric":
        _numeric_answer(quiz, data, errors)
    elif not _options(state, quiz, data, line, sink, errors):
        return None
    quiz.formulas = sink.formulas
    return None if errors else quiz


def _number_in_any_digits(value):
    """A number written in Persian or Arabic digits (`answer: ۶۴`, `۰٫۵`) reads as YAML text;
    an author writing in their script means the number, as learners type it. Anything else
    comes back as it was."""
    if not isinstance(value, str):
        return value
    text = value.strip().replace("\u066b", ".").replace("\u066c", "").replace("\u2212", "-")
    if not text or not all(c.isdecimal() or c in ".-" for c in text):
        return value
    try:
        return float(text)  # Python reads every script's decimal digits
    except ValueError:
        return value


def _numeric_answer(quiz: QuizBlock, data: dict, errors: QuizMistakes) -> None:
    answer, tolerance = _number_in_any_digits(data.get("answer")), data.get("tolerance", 0)
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        errors.add(_("a numeric quiz needs a number as answer"), "answer")
    elif isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) \
            or not tolerance >= 0 or tolerance == float("inf"):
        errors.add(_("tolerance must be a number ≥ 0"), "tolerance")
    elif answer != answer or answer in (float("inf"), float("-inf")):
        errors.add(_("the answer must be a finite number"), "answer")
    else:
        quiz.answer, quiz.tolerance = float(answer), float(tolerance)
    if "options" in data:
        errors.add(_("a numeric quiz has no options"), "options")


def _options(state: ParseState, quiz: QuizBlock, data: dict, line: int, sink: InlineSink,
             errors: QuizMistakes) -> bool:
    """Adds the options of a choice or order quiz; False when there is no list of them."""
    options = data.get("options")
    if not isinstance(options, list) or not 2 <= len(options) <= 20:
        errors.add(_("options must be a list of 2 to 20 items"), "options")
        return False
    for number, item in enumerate(options, 1):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            item = {"text": item}
        if not isinstance(item, dict) or "text" not in item:
            errors.add(_("option {number} needs a text").format(number=number), "options",
                       number - 1)
            continue
        extra = sorted(str(k) for k in item if k not in OPTION_FIELDS)
        if extra:
            errors.add(_("option {number}: unknown field {field}").format(
                number=number, field=repr(extra[0])), "options", number - 1, extra[0])
        correct = item.get("correct", False)
        if not isinstance(correct, bool):
            errors.add(_("option {number}: correct is true or false").format(number=number),
                       "options", number - 1, "correct")
            correct = False
        option_sink = InlineSink(formulas=sink.formulas)  # one numbering for the whole quiz
        text_html = rich_html(state, item["text"], line, option_sink)
        explain_html = rich_html(state, item.get("explain", ""), line,
                                 InlineSink(formulas=sink.formulas))
        quiz.options.append(QuizOption(text_html, correct, explain_html,
                                       "".join(option_sink.text)))
    right = sum(o.correct for o in quiz.options)
    if quiz.kind == "single" and right != 1:
        errors.add(_("a single-choice quiz needs exactly one correct option, not {count}")
                   .format(count=right), "options")
    if quiz.kind == "multiple" and right < 1:
        errors.add(_("a multiple-choice quiz needs at least one correct option"), "options")
    if quiz.kind == "order" and right:
        errors.add(_("an order quiz lists its steps in the right order, without 'correct'"),
                   "options")
    return True

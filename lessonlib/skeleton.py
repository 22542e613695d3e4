"""`python main.py lessons new ID --varieties fa,arz`: a lesson folder to fill in.

Its lesson.yaml starts with a link to the schema, for editors that complete and check YAML as
you type. The link must lead to a file wherever the lesson is made (the lesson library, any
folder), so a copy of the schema is written beside the lesson folder and the link is
`../lesson.schema.json`; only in the built-in lessons' folder does it lead to the package's
own schema.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hafiza.lessonlib.model import VARIETY_TAGS
from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR
from hafiza.lessonlib.schema import SCHEMA_PATH
from hafiza.words import _

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")

# The skeleton's sample texts in each variety's own words. Optional content: a variety of
# hafiza/varieties.py without its own texts here gets the English ones to translate.
TITLES = {
    "ary": "عنوان الدرس",
    "arz": "عنوان الدرس",
    "ar": "عنوان الدرس",
    "fa": "عنوان درس",
    "en": "Lesson title",
}

# Each skeleton shows every kind of block once, in the variety's own words.
BODIES = {
    "en": ("Write the lesson here. An English term such as LSTM or a formula like "
           "$y = \\sigma(Wx + b)$ can sit inside a sentence.", "A question?", "Right answer",
           "Why it is right.", "Another answer", "Why not."),
    "ary": ("كتب الدرس هنا. تقدر تدير كلمة بالنجليزية بحال LSTM ولا معادلة بحال "
            "$y = \\sigma(Wx + b)$ وسط الجملة.", "سؤال؟", "الجواب الصحيح", "علاش صحيح.",
            "جواب آخر", "علاش لا."),
    "arz": ("اكتب الدرس هنا. ممكن تحط كلمة إنجليزي زي LSTM أو معادلة زي "
            "$y = \\sigma(Wx + b)$ جوّه الجملة.", "سؤال؟", "الإجابة الصح", "ليه صح.",
            "إجابة تانية", "ليه لأ."),
    "ar": ("اكتب الدرس هنا. يمكن وضع مصطلح إنجليزي مثل LSTM أو معادلة مثل "
           "$y = \\sigma(Wx + b)$ داخل الجملة.", "سؤال؟", "الإجابة الصحيحة", "لماذا هي صحيحة.",
           "إجابة أخرى", "لماذا لا."),
    "fa": ("درس را این‌جا بنویسید. واژه‌ای انگلیسی مثل LSTM یا فرمولی مثل "
           "$y = \\sigma(Wx + b)$ می‌تواند درون جمله بیاید.", "یک پرسش؟", "پاسخ درست",
           "چرا درست است.", "پاسخ دیگر", "چرا نه."),
}

LSTM_DEFINITIONS = {
    "en": "Long short-term memory: a recurrent layer with gates.",
    "ary": "ذاكرة طويلة وقصيرة المدى: طبقة تكرارية فيها بوابات.",
    "arz": "ذاكرة طويلة وقصيرة المدى: طبقة متكررة فيها بوابات.",
    "ar": "الذاكرة الطويلة قصيرة المدى: طبقة تكرارية ذات بوابات.",
    "fa": "حافظهٔ کوتاه‌مدتِ طولانی: لایه‌ای بازگشتی با دروازه‌ها.",
}


class SkeletonError(Exception):
    pass


def _title(tag: str) -> str:
    return TITLES.get(tag, TITLES["en"])


def lesson_yaml(lesson_id: str, varieties: list[str],
                schema_link: str = "../lesson.schema.json") -> str:
    titles = "\n".join(f'  {tag}: "{_title(tag)}"' for tag in varieties)
    return (
        f"# yaml-language-server: $schema={schema_link}\n"
        "# The lesson's description: see docs/authoring.md.\n"
        f"id: {lesson_id}\n"
        "order: 100\n"
        "estimated_minutes: 20\n"
        "prerequisites: []\n"
        f"title:\n{titles}\n"
        "glossary:\n"
        "  LSTM:\n"
        + "".join(f'    {tag}: "{_lstm(tag)}"\n' for tag in varieties)
        + "exercises: []\n"
    )


def _lstm(tag: str) -> str:
    return LSTM_DEFINITIONS.get(tag, LSTM_DEFINITIONS["en"])


def markdown(lesson_id: str, tag: str) -> str:
    text, question, right, why, other, why_not = BODIES.get(tag, BODIES["en"])
    return (
        f"# {_title(tag)}\n\n{text.replace('LSTM', '[[LSTM]]', 1)}\n\n"
        "$$\nh_t = \\tanh(W x_t + U h_{t-1} + b)\n$$\n\n"
        f"::: note\n{text.split('.')[0]}.\n:::\n\n"
        "```quiz\n"
        f"id: {lesson_id}-q1\n"
        "type: single\n"
        f'question: "{question}"\n'
        "options:\n"
        f'  - text: "{right}"\n    correct: true\n    explain: "{why}"\n'
        f'  - text: "{other}"\n    explain: "{why_not}"\n'
        "```\n"
    )


def new_lesson(lesson_id: str, varieties: list[str], lessons_dir: Path) -> Path:
    """Creates `lessons_dir/lesson_id` with lesson.yaml, one Markdown file per variety and
    an empty figures/ folder. Refuses to overwrite anything."""
    if not ID_PATTERN.match(lesson_id):
        raise SkeletonError(_("{id!r} is not a lesson id: use lowercase letters, digits and "
                              "hyphens").format(id=lesson_id))
    unknown = [tag for tag in varieties if tag not in VARIETY_TAGS]
    if unknown or not varieties:
        raise SkeletonError(_("varieties are some of {tags}").format(
            tags=", ".join(VARIETY_TAGS)))
    varieties = [tag for tag in VARIETY_TAGS if tag in varieties]
    folder = Path(lessons_dir) / lesson_id
    if folder.exists():
        raise SkeletonError(_("{folder} already exists").format(folder=folder))
    Path(lessons_dir).mkdir(parents=True, exist_ok=True)
    link = schema_link(Path(lessons_dir))  # before the lesson: a failure leaves no half lesson
    (folder / "figures").mkdir(parents=True)
    (folder / "lesson.yaml").write_text(lesson_yaml(lesson_id, varieties, link),
                                        encoding="utf-8")
    for tag in varieties:
        (folder / f"{tag}.md").write_text(markdown(lesson_id, tag), encoding="utf-8")
    return folder


def schema_link(lessons_dir: Path) -> str:
    """The `$schema` link of a lesson made in `lessons_dir`, relative to its lesson.yaml. The
    built-in lessons' folder sits beside the package's schema; any other folder gets a copy
    of it (kept up to date: the schema grows with Hafiza's versions)."""
    try:
        if lessons_dir.resolve() == BUILTIN_LESSONS_DIR.resolve():
            return Path(os.path.relpath(SCHEMA_PATH, lessons_dir / "x")).as_posix()
    except (OSError, ValueError):  # another drive (Windows): a copy, as for any folder
        pass
    copy = lessons_dir / SCHEMA_PATH.name
    schema = SCHEMA_PATH.read_bytes()
    if not copy.is_file() or copy.read_bytes() != schema:
        temporary = copy.with_name(f".{copy.name}.tmp")
        temporary.write_bytes(schema)
        temporary.replace(copy)  # never a half-written schema for an editor to read
    return f"../{SCHEMA_PATH.name}"

"""The lesson parser's work grows linearly with hostile inline text, and it gives the same
tokens as markdown-it's own (quadratic) link-label search."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hafiza.lessonlib import LessonError, parse_markdown
from hafiza.lessonlib.markdown_syntax import make_markdown
from hafiza.lessonlib.parser import MAX_MARKDOWN_BYTES

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_RUNS = ["[[", "[", "![", "$", "**", "`", "[](", "[a](", "*a", "_a", "<", "[[a|"]


def counted_steps(text):
    """How many tokens markdown-it's inline parser tries to skip while parsing `text`."""
    md = make_markdown()
    calls = 0
    skip = md.inline.skipToken

    def counting(state):
        nonlocal calls
        calls += 1
        skip(state)

    md.inline.skipToken = counting
    md.parse(text)
    return calls


@pytest.mark.parametrize("run", HOSTILE_RUNS)
def test_inline_work_grows_linearly_with_the_text(run):
    small, large = (f"x {run * n}" for n in (2_000, 8_000))
    steps_small, steps_large = counted_steps(small), counted_steps(large)
    # Four times the text, at most about four times the work (quadratic would be 16x).
    assert steps_large <= 4.5 * steps_small + 50


def test_600_kb_of_each_hostile_run_parses(tmp_path):
    # Run apart, so a regression ends in a timeout here instead of a hung test run. Before
    # the fix 600 KB of `[[` was still parsing after 180 s; now each takes seconds.
    script = textwrap.dedent("""
        import sys
        from hafiza.lessonlib import parse_markdown
        for run in sys.argv[1:]:
            document = parse_markdown("x " + run * (600_000 // len(run)))
            assert document.blocks, run
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script, "[[", "![", "["], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"


def test_a_glossary_term_is_looked_for_only_within_its_length():
    document = parse_markdown("[[" + "a" * 300 + "]] and [[term|shown]]")
    assert 'href="glossary:term"' in document.blocks[0].html
    assert "glossary:aaa" not in document.blocks[0].html


def test_text_over_the_size_limit_is_refused_with_a_message():
    with pytest.raises(LessonError, match="larger than"):
        parse_markdown("a" * (MAX_MARKDOWN_BYTES + 1))


def _tokens(md, text):
    flat = []
    for token in md.parse(text):
        for child in [token, *(token.children or ())]:
            flat.append((child.type, child.content, sorted(child.attrs.items())))
    return flat


ORIGINAL = make_markdown()
from markdown_it import helpers as _original_helpers  # noqa: E402

ORIGINAL.helpers = _original_helpers


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]()!a `\\<>*|$:#\n", max_size=60))
def test_the_linear_label_search_gives_markdown_its_own_tokens(text):
    assert _tokens(make_markdown(), text) == _tokens(ORIGINAL, text)

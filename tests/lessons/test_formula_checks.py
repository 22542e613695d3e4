"""Formulas are checked as the page draws them: each mistake an author makes in a formula is
reported in words at the line the formula is written on (issue 20, item 4).

The battery breaks a good lesson one way at a time, as an instructor would, and runs the
whole checker on it in memory."""

import textwrap

import pytest

from hafiza.lessonlib import checker

GOOD_YAML = "id: birnn\norder: 90\ntitle: {en: Bidirectional RNNs}\n"
# Line numbers matter: the battery's rows name them.
GOOD_MD = textwrap.dedent(r"""
    # Bidirectional RNNs

    A bidirectional layer reads the sequence both ways, $\overrightarrow{h}_t$ and
    $\overleftarrow{h}_t$, and joins them.

    $$
    h_t = \left[ \overrightarrow{h}_t ; \overleftarrow{h}_t \right]
    $$

    | gate | range |
    |---|---|
    | forget | $(0, 1)$ |

    - a list item with $\sigma(x)$

    ::: note
    The output at step $t$ sees the whole sentence.
    :::

    ```quiz
    id: q1
    type: single
    question: "What does $h_t$ join?"
    options:
      - text: "both directions $\\overrightarrow{h}_t$"
        correct: true
        explain: "Yes: $[a; b]$."
      - text: 'only the past $h_{t-1}$'
        explain: No.
    explain: "It joins $a$ and $b$."
    ```

    ```quiz
    id: q2
    type: numeric
    question: What is $\sigma(0)$?
    answer: 0.5
    tolerance: 0.01
    explain: The sigmoid is one half at zero.
    ```
    """).lstrip("\n")
TALL = r"\begin{matrix}a\\b\\c\\d\\e\\f\\g\\h\\i\\j\end{matrix}"

# (name, text replaced, its replacement, line, words the message must hold, severity)
BATTERY = [
    ("brace never closed", r"$\overleftarrow{h}_t$", r"$\overleftarrow{h_t$", 4,
     r"{ that is never closed (after `\overleftarrow{`)", "error"),
    ("brace closing nothing", r"$\overleftarrow{h}_t$", r"$\overleftarrow{h}}_t$", 4,
     "} that closes nothing", "error"),
    ("misspelt command", r"$\overleftarrow{h}_t$", r"$\overlefarrow{h}_t$", 4,
     r"did you mean \overleftarrow?", "error"),
    ("fraq", r"$\sigma(x)$", r"$\fraq{a}{b}$", 14,
     r"\fraq is not a command the renderer knows - did you mean \frac?", "error"),
    ("second formula of a line", r"$\overrightarrow{h}_t$ and", r"$a$ then $\betta$ and", 3,
     r"did you mean \beta?", "error"),
    ("formula in a heading", "# Bidirectional RNNs", r"# Bidirectional $\alpah$", 1,
     r"did you mean \alpha?", "error"),
    ("unclosed $", r"$\overleftarrow{h}_t$, and", r"$\overleftarrow{h}_t, and", 4,
     "never closed", "error"),
    ("unclosed $$", "\\right]\n$$\n", "\\right]\n\n", 6, "never closed", "error"),
    ("$$ swallowing a table", "\\right]\n$$\n", "\\right]\n\n",  # and a later $$ closes it
     6, "a $$ before it is probably never closed", "error"),
    (r"\left without \right", r"\right]", "]", 6,
     r"\left[ has no matching \right", "error"),
    (r"\right without \left", r"\left[", "[", 6, r"\right] has no \left before it", "error"),
    ("misspelt command in a display formula", r"\overrightarrow{h}_t ;",
     r"\overrightarow{h}_t ;", 6, r"did you mean \overrightarrow?", "error"),
    (r"\begin without \end", r"h_t = \left[ \overrightarrow{h}_t ; \overleftarrow{h}_t \right]",
     r"\begin{matrix} a & b", 6, r"\begin{matrix} has no matching \end{matrix}", "error"),
    (r"\end without \begin", r"h_t = \left[ \overrightarrow{h}_t ; \overleftarrow{h}_t \right]",
     r"a \end{matrix}", 6, r"\end{matrix} has no matching \begin", "error"),
    ("misspelt environment", r"h_t = \left[ \overrightarrow{h}_t ; \overleftarrow{h}_t \right]",
     r"\begin{pmatrx} a \end{pmatrx}", 6, "did you mean pmatrix?", "error"),
    ("^ with nothing after it", r"$\sigma(x)$", "$x^$", 14, "nothing after it", "error"),
    ("two subscripts", r"$\sigma(x)$", "$x_a_b$", 14, "two subscripts", "error"),
    ("fraction without a bottom", r"$\sigma(x)$", r"$\frac{a}$", 14,
     "needs a top and a bottom", "error"),
    ("empty formula", r"$\sigma(x)$", "$ $", 14, "empty", "error"),
    ("formula in a table cell", "$(0, 1)$", r"$(0, \alpah)$", 12, r"did you mean \alpha?",
     "error"),
    ("formula in an admonition", "step $t$", r"step $\sqrt{t$", 17, "never closed", "error"),
    ("quiz question", "$h_t$ join", "$h_{t$ join", 23, "never closed", "error"),
    ("quiz option", r"$\\overrightarrow{h}_t$", r"$\\overrightarow{h}_t$", 25,
     r"did you mean \overrightarrow?", "error"),
    ("quiz option feedback", "$[a; b]$", r"$\\frac{a}$", 27, "top and a bottom", "error"),
    ("quiz option in single quotes", "$h_{t-1}$'", "$h_{t-1$'", 28, "never closed", "error"),
    ("quiz explanation", "$a$ and $b$", "$a$ and $b^$", 30, "nothing after it", "error"),
    ("quiz in plain YAML", r"$\sigma(0)$?", r"$\sigmoid(0)$?", 36, "not a command", "error"),
    (r"\theta in double quotes", "$h_t$ join", r"$\theta$ join", 23,
     r"\theta lost its backslash", "error"),
    (r"\nabla in double quotes", "$h_t$ join", r"$\nabla f$ join", 23,
     r"\nabla lost its backslash", "error"),
    ("unclosed $ in a quiz question", r"What is $\sigma(0)$?", r"What is $\sigma(0)?", 36,
     "never closed", "error"),
    ("unclosed $ in a quiz option", "past $h_{t-1}$'", "past $h_{t-1}'", 28, "never closed",
     "error"),
    # A warning by design: the formula draws, only too tall for a laptop's page.
    ("display formula taller than 200 px",
     r"h_t = \left[ \overrightarrow{h}_t ; \overleftarrow{h}_t \right]", TALL, 6,
     "px tall on the page (more than 200 px)", "warning"),
]


def problems_of(text: str):
    """The problems of the lesson with `text` as en.md, less the missing varieties'."""
    return [p for p in checker.check_lesson_files("birnn", {"lesson.yaml": GOOD_YAML.encode(),
                                                            "en.md": text.encode()},
                                                  validate_exercises=False)
            if "no text in" not in p.message]


def test_the_good_lesson_has_no_formula_problem():
    assert [str(p) for p in problems_of(GOOD_MD)] == []


@pytest.mark.parametrize("name, old, new, line, words, severity", BATTERY,
                         ids=[row[0] for row in BATTERY])
def test_each_formula_mistake_is_said_in_words_at_its_line(name, old, new, line, words,
                                                           severity):
    assert GOOD_MD.count(old) >= 1, name
    broken = GOOD_MD.replace(old, new, 1)
    if name == "$$ swallowing a table":
        broken = broken.replace("- a list item", "$$\ny = 1\n$$\n\n- a list item")
    found = [(p.line, p.severity, p.message) for p in problems_of(broken)]
    assert any(ln == line and sev == severity and words in message
               for ln, sev, message in found), found
    assert not any("Error" in message for _, _, message in found), found  # no class names


def test_the_battery_is_as_large_as_the_report_says():
    assert len(BATTERY) == 32


@pytest.mark.parametrize("prose", [r"It costs \$5, or \$ in general.", "It costs $5.",
                                   "From 5$ up.", r"Written `$x` in code."])
def test_a_dollar_that_is_meant_is_not_reported(prose):
    assert [str(p) for p in problems_of(GOOD_MD + "\n" + prose + "\n")] == []


@pytest.mark.parametrize("latex", [r"\left( a \middle| b \right)", r"\sqrt[3]{x}",
                                   r"\{a\}", r"\|x\|", r"\binom{n}{k}", r"a \\ b",
                                   r"\begin{aligned} a &= b \end{aligned}",
                                   r"\mathrm{softmax}(z)_i", r"\text{\fraq is text}"])
def test_good_latex_is_not_reported(latex):
    from hafiza.lessonlib.formula_checks import formula_error

    assert formula_error(latex, display=True) == ""


def test_the_checker_draws_what_the_page_draws():
    """The window imports the MathML correction from lessonlib: one function, not two."""
    from hafiza.lessonlib import formula_render
    from hafiza.ui.blocks import formula

    assert formula.formula_mathml is formula_render.formula_mathml
    assert formula.formula_svg is formula_render.formula_svg

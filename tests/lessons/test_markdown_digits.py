"""The parser writes prose numbers in the lesson's variety (hafiza/digits.py) and nothing
else: inline code, code blocks, formulas, link addresses and anchors keep what was written."""

from hafiza.lessonlib import parse_markdown
from hafiza.lessonlib.markdown_blocks import parse_blocks
from hafiza.lessonlib.markdown_syntax import markdown
from hafiza.lessonlib.parse_state import ParseState

SOURCE = """# Step 2 {#step-2}

The loss fell from 0.36 to 0.28 after 10,000 steps; `lr=0.01` and $w = 0.5$ stay.
See [page 3](https://example.org/v2/page3) and [[epoch|epoch 1]].

::: note Version 2.13.0 and 3 layers
Inside: 0.5
:::

```python
x = 0.25
```
"""


def blocks_for(tag):
    state = ParseState(SOURCE, f"{tag}.md", None, None, variety=tag)
    return parse_blocks(state, markdown().parse(SOURCE))


def test_persian_prose_gets_persian_digits_and_code_keeps_latin():
    heading, paragraph, note, code = blocks_for("fa")
    assert "۲" in heading.html and heading.anchor == "step-2"
    assert "from ۰٫۳۶ to ۰٫۲۸ after ۱۰٬۰۰۰ steps" in paragraph.html
    assert "lr=0.01" in paragraph.html  # inline code
    assert paragraph.formulas == ["w = 0.5"]  # the formula's own text
    assert 'href="https://example.org/v2/page3">page ۳</a>' in paragraph.html
    assert 'href="glossary:epoch">epoch ۱</a>' in paragraph.html
    assert "0.36" in paragraph.text  # the plain text (search) keeps the source
    assert note.title == "Version 2.13.0 and ۳ layers"
    assert "۰٫۵" in note.blocks[0].html
    assert code.code == "x = 0.25"


def test_darija_prose_uses_the_interface_decimal_comma():
    paragraph = blocks_for("ary")[1]
    assert "from 0,36 to 0,28 after 10.000 steps" in paragraph.html
    assert "lr=0.01" in paragraph.html


def test_english_prose_is_unchanged():
    paragraph = blocks_for("en")[1]
    assert "from 0.36 to 0.28 after 10,000 steps" in paragraph.html


def test_parse_markdown_passes_the_variety_to_the_prose():
    document = parse_markdown("# T\n\nThe loss is 0.36.\n", "arz.md", variety="arz")
    assert "The loss is ٠٫٣٦." in document.blocks[1].html

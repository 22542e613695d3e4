"""The lesson corpus is prose a language model can learn a variety from: no code, formulas,
settings, addresses or table pipes, and every variety's spelling exactly as written."""

import pytest

from hafiza.engine.data.corpora import lesson_corpus, markdown_to_prose
from hafiza.engine.data.lm import LanguageModelData

# Tokens that only code, formulas and YAML bring into a vocabulary.
NON_WORDS = ("nan", "false", "true", "none", "+", "=", "(", ")", "[", "]", "{", "}", "$", "_",
             "\\", "^", "|", "<", ">", "return")

LESSON = """---
id: demo
epochs: 4
---
# یادگیری عمیق

می‌خواهیم شبکه با `return_sequences=True` و `nn.LSTM(64)` کار کند؛ زیان به NaN نرسد.
فرمول $h_t = \\tanh(W x_t + b)$ و در متن چسبیده: و$x$ام.

$$
y = Wx + b
$$

```exercise
id: lm_lessons
shuffle: false
lr: nan
```

```python
print(model(x))
```

::: quiz
question: نه
:::

| لایه | واحد |
|---|---|
| LSTM | 64 |

shuffle: false
بیشتر در https://example.org/a_b و www.example.com بخوانید. لایهٔ `LSTM` خوب است.
هادي على الأول إلى، كتب «سلام» (جملة بين قوسين) = + 1.
"""


def test_lesson_markdown_keeps_only_sentences():
    prose = markdown_to_prose(LESSON)
    for gone in ("return_sequences", "True", "NaN", "nn.", "64)", "tanh", "$", "Wx", "print",
                 "lm_lessons", "shuffle", "question", "|", "https", "example", "epochs", "=",
                 "+", "(", ")"):
        assert gone not in prose, gone
    # A bare name in backticks reads as a word of the sentence.
    assert "لایهٔ LSTM خوب است." in prose
    assert "جملة بين قوسين" in prose


def test_spelling_is_kept_as_written():
    prose = markdown_to_prose(LESSON)
    assert "می\u200cخواهیم" in prose  # ZWNJ inside a Persian word
    assert "هادي على الأول إلى" in prose  # Arabic yeh, alef maksura, hamza forms: not folded
    vocab = LanguageModelData.from_text(prose, punctuation=True).vocab
    # Ids fold letters so typed variants match; the words are still shown as the text wrote them.
    shown = {vocab.spelled(w) for w in vocab.word_index}
    assert {"على", "الأول", "هادي", "می\u200cخواهیم"} <= shown


def test_lesson_vocabulary_has_no_non_words_from_markdown():
    vocab = LanguageModelData.from_text(markdown_to_prose(LESSON), punctuation=True).vocab
    assert not set(NON_WORDS) & set(vocab.word_index)


@pytest.mark.parametrize("variety", ["fa", "ary"])
def test_real_lesson_corpus_vocabulary_has_no_code_tokens(variety):
    text = lesson_corpus(variety)
    assert len(text) > 10_000  # the real lessons, not an empty folder
    vocab = LanguageModelData.from_text(text, num_words=None, punctuation=True).vocab
    leaked = set(NON_WORDS) & set(vocab.word_index)
    assert not leaked

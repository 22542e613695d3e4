"""Text for the models: normalisation, tokenisation, a Keras-like vocabulary and padding.

One normaliser serves Arabic (``ar``, ``ary``, ``arz``), Persian (``fa``) and English, so the
same word always gets the same id whichever keyboard typed it. Canonical letters (one form
per letter, chosen so that Persian text looks unchanged and Arabic text still reads well):

- yeh: ي (U+064A), ى (U+0649) and ی (U+06CC) all become Persian yeh ی (U+06CC). It is dotted
  inside a word and dotless at the end, exactly how alef maksura and Egyptian final yeh look.
- kaf: ك (U+0643) and ک (U+06A9) become Persian keheh ک (U+06A9).
- alef: أ إ آ ٱ become a bare alef ا (U+0627).
- tatweel ـ is removed; harakat and Quranic marks are removed unless asked to keep them.
- Arabic-Indic ٠-٩ and Persian ۰-۹ digits become ASCII 0-9; ٫ becomes "." and ٬ ",".
- Latin letters are lower-cased; the zero-width non-joiner (ZWNJ, U+200C) stays between the
  letters of a Persian word ("می‌روم") and is dropped anywhere else.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

ZWNJ = "\u200c"
PAD_TOKEN = "<pad>"  # how id 0 reads when decoded
EOS = "<eos>"  # the token that ends a line of a language model's text (engine.data.lm)

_LETTER_FORMS = {
    "\u064a": "\u06cc",  # ي Arabic yeh
    "\u0649": "\u06cc",  # ى alef maksura
    "\u0643": "\u06a9",  # ك Arabic kaf
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u066b": ".",  # ٫ Arabic decimal separator
    "\u066c": ",",  # ٬ Arabic thousands separator
    "\u066a": "%",  # ٪
    "\u2019": "'",  # typographic apostrophe, so "don’t" and "don't" are one word
}
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
# Invisible formatting that splits words for no reason: tatweel, ZWSP, ZWJ, bidi marks,
# embeddings and isolates, BOM, soft hyphen.
_INVISIBLE = (
    "\u0640\u200b\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\ufeff\u00ad"
)
_CANONICAL = str.maketrans(
    {ord(k): v for k, v in _LETTER_FORMS.items()} | _DIGITS | dict.fromkeys(map(ord, _INVISIBLE))
)
# Everything but the folding of yeh, kaf and alef and the removal of tatweel: the letters as
# the text wrote them. (Tatweel is a letter to the tokeniser, so the words are the same ones.)
TATWEEL = "\u0640"
_FOLDED_LETTERS = "\u064a\u0649\u0643\u0623\u0625\u0622\u0671" + TATWEEL
_AS_WRITTEN = {k: v for k, v in _CANONICAL.items() if chr(k) not in _FOLDED_LETTERS}

# Harakat (U+064B..U+0652 and the rest of that block's marks), superscript alef U+0670,
# and the Quranic annotation marks.
_MARKS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u08d3-\u08e1\u08e3-\u08ff"
)
_DIACRITICS_RE = re.compile(f"[{_MARKS}]")
# A ZWNJ survives only between two word characters (letters, digits or marks).
_WORD_CHAR = rf"(?:[^\W_]|[{_MARKS}\u0300-\u036f])"
_STRAY_ZWNJ_RE = re.compile(rf"{ZWNJ}+(?!{_WORD_CHAR})|(?<!{_WORD_CHAR}){ZWNJ}+")
_ZWNJ_RUN_RE = re.compile(f"{ZWNJ}{{2,}}")

_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Tokens never mix Arabic script with Latin letters or digits, so "الـLSTM" gives "ال" and
# "lstm", and "و3" gives "و" and "3". ZWNJ joins Arabic-script letters (Persian "می‌روم"),
# an apostrophe joins other letters ("don't"), and a decimal number is one token ("0.1").
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
_ARABIC_CHAR = rf"(?:(?=[{_ARABIC}])[^\W\d_]|[{_MARKS}])"
_OTHER_CHAR = rf"(?:(?![{_ARABIC}])[^\W_]|\d|[\u0300-\u036f])"
_WORD_PATTERN = (
    rf"\d+\.\d+|{_ARABIC_CHAR}+(?:{ZWNJ}{_ARABIC_CHAR}+)*|{_OTHER_CHAR}+(?:'{_OTHER_CHAR}+)*"
)
_TOKEN_RE = re.compile(_WORD_PATTERN)
# With punctuation kept (language models), each mark is a token of its own ("," "?" "؟" "«"),
# so a generated continuation has sentences; marks and joiners never stand alone.
_PUNCTUATION = rf"(?![{_MARKS}\u0300-\u036f{ZWNJ}])[^\w\s]"
_TOKEN_WITH_PUNCTUATION_RE = re.compile(f"{_WORD_PATTERN}|{_PUNCTUATION}")


_ARABIC_CHAR_RE = re.compile(_ARABIC_CHAR)
_TATWEEL_RUN_RE = re.compile(f"{TATWEEL}+")


def _tatweel_if_attached(run: re.Match) -> str:
    before = run.string[run.start() - 1] if run.start() else ""  # "" matches no letter
    return run.group() if _ARABIC_CHAR_RE.fullmatch(before) else ""


def normalize(text: str, *, strip_diacritics: bool = True, fold_letters: bool = True) -> str:
    """Return ``text`` in the canonical form described in this module's docstring.
    ``fold_letters=False`` does all of it but the folding of yeh, kaf and alef and the
    removal of a tatweel after a letter: the words as they were written, token for token
    the same as the canonical ones (see usual_spellings)."""
    text = unicodedata.normalize("NFKC", text).translate(
        _CANONICAL if fold_letters else _AS_WRITTEN)
    if strip_diacritics:
        text = _DIACRITICS_RE.sub("", text)
    if not fold_letters:  # a tatweel kept must not make a word of its own
        text = _TATWEEL_RUN_RE.sub(_tatweel_if_attached, text)
    text = _ZWNJ_RUN_RE.sub(ZWNJ, text)
    text = _STRAY_ZWNJ_RE.sub("", text)
    return text.lower()


def tokenize(text: str, *, normalize_text: bool = True, punctuation: bool = False,
             fold_letters: bool = True) -> list[str]:
    """Split ``text`` into words of any script; ``<br />`` tags are dropped, and punctuation
    too unless ``punctuation`` keeps each mark as a token.

    A ZWNJ-joined Persian word stays one token, an apostrophe inside a word too ("don't"),
    and a decimal number ("0.1") is one token.
    """
    text = _BR_RE.sub(" ", text)
    if normalize_text:
        text = normalize(text, fold_letters=fold_letters)
    return (_TOKEN_WITH_PUNCTUATION_RE if punctuation else _TOKEN_RE).findall(text)


def usual_spellings(lines: Iterable[tuple[str, Sequence[str]]],
                    punctuation: bool = False) -> dict[str, str]:
    """How the text most often wrote each word whose writing differs from its canonical form:
    {"علی": "على", "الاول": "الأول", "هادی": "هادي"}. ``lines`` are the text's lines, each
    with its words (``tokenize(line, punctuation=punctuation)``, which the caller already has).
    The normaliser folds yeh, kaf and alef into one form each, so a model's words are shown in
    these spellings; Persian words keep their canonical letters (no entry). Lines in ASCII are
    skipped: they have none."""
    counts: dict[str, Counter[str]] = {}
    for line, words in lines:
        if line.isascii():
            continue
        written = tokenize(line, punctuation=punctuation, fold_letters=False)
        if len(written) != len(words):  # cannot happen (same boundaries); never guess
            continue
        for word, form in zip(words, written, strict=True):
            if not word.isascii():
                counts.setdefault(word, Counter())[_with_final_tatweel_only(form)] += 1
    usual = {word: forms.most_common(1)[0][0] for word, forms in counts.items()}
    return {word: form for word, form in usual.items() if form != word}


def _with_final_tatweel_only(form: str) -> str:
    """A written word without the tatweel that stretches its letters, but with one at its end:
    the article before an English term is written «الـ batch», and a bare «ال» in a list of
    guesses or in a written sentence reads as a slip."""
    stem = form.rstrip(TATWEEL).replace(TATWEEL, "")
    return stem + TATWEEL if form.endswith(TATWEEL) and stem else stem


_NO_SPACE_BEFORE = set(",.;:!?%)]}»”’،؛؟…")
_NO_SPACE_AFTER = set("([{«“‘")


def join_tokens(tokens: Iterable[str]) -> str:
    """Tokens back into readable text: a space between words, none before a closing mark
    ("word," "word؟" "»") or after an opening one ("«" "("), and ``<eos>`` as a new line."""
    out: list[str] = []
    glue = True  # no space before the first token, after an opening mark or a new line
    for token in tokens:
        if token == EOS:
            out.append("\n")
            glue = True
            continue
        if not glue and token not in _NO_SPACE_BEFORE:
            out.append(" ")
        out.append(token)
        glue = token in _NO_SPACE_AFTER
    return "".join(out)


def as_tokens(text_or_tokens: str | Sequence[str], punctuation: bool) -> Sequence[str]:
    """A text's tokens, or a token list as it is."""
    if isinstance(text_or_tokens, str):
        return tokenize(text_or_tokens, punctuation=punctuation)
    return text_or_tokens


def words_with_ids(vocab: Vocabulary, text: str) -> list[tuple[str, list[int]]]:
    """The words of ``text`` as the learner typed them, each with its ids in ``vocab``; words
    without an id (no OOV token) are left out. Tokenised like the vocabulary's own texts, but
    not normalised: the shown word keeps the reader's spelling, ``encode`` normalises it."""
    if vocab.unit == "char":  # the whole prompt is one piece: its spaces are tokens too
        ids = vocab.encode(text)
        return [(text, ids)] if ids else []
    out = []
    for word in tokenize(text, normalize_text=False, punctuation=vocab.punctuation):
        ids = vocab.encode(word)
        if ids:
            out.append((word, ids))
    return out


def unknown_words(vocab: Vocabulary, pairs: Sequence[tuple[str, Sequence[int]]]) -> list[str]:
    """The words of ``words_with_ids`` pairs that the vocabulary reads as its OOV token."""
    oov = vocab.oov_index
    return [word for word, ids in pairs if oov is not None and all(i == oov for i in ids)]


_PERSIAN_ONLY_LETTERS = frozenset("پچژگ")
_ARABIC_FORMS = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643"})  # ی→ي, ک→ك


def vocabulary_is_persian(vocab: Vocabulary, sample: int = 2000) -> bool:
    """Whether a vocabulary's words are Persian: at least 5% of its most frequent words hold
    a letter Arabic does not use (پ چ ژ گ; Darija writes گ now and then, far less often)."""
    words = [w for w in list(vocab.word_index)[:sample] if not w.isascii()]
    if not words:
        return False
    return 20 * sum(1 for w in words if _PERSIAN_ONLY_LETTERS & set(w)) >= len(words)


def in_reader_letters(text: str, persian: bool) -> str:
    """Vocabulary words carry the normaliser's Persian yeh and keheh (see this module's
    docstring), which look foreign in Arabic or Darija: outside Persian they become ي and ك."""
    return text if persian else text.translate(_ARABIC_FORMS)


# An exercise leaves a token seen once in the training text to <oov> (dataset.min_count).
# Otherwise <oov> never occurs in training, the model learns to give it almost nothing, and
# every new word of the validation text (12% of the Persian lessons', 21% of the Darija's)
# costs a near-impossible guess: best validation perplexity 658 on the Persian lessons
# against counting's 290 (after: 125 against 85, over a smaller vocabulary). The words seen
# once teach the model how often a word it does not know comes next, as Good-Turing
# estimates the unseen from the seen-once (and as the PTB setup does).
MIN_COUNT = 2


class Vocabulary:
    """Word <-> id mapping in the manner of Keras' ``Tokenizer``.

    Id 0 is padding. The first id handed out is ``index_from`` (ids below it, except 0, stay
    unused): the ``reserved`` tokens come first, then the OOV token (unless it is one of the
    reserved tokens), then the words, most frequent first, ties in order of first
    appearance. With the defaults the OOV token is 1 and the most frequent word 2, as in
    Keras. ``reserved=("<start>", "<oov>", "<unused>")`` gives the layout of Keras' IMDB
    data set (start 1, OOV 2, words from 4).

    ``num_words`` keeps only ids below it, like Keras; unlike Keras, ``word_index`` then
    holds only the kept words, so a checkpoint stores what the model can see. Any other word
    encodes to the OOV id, or is dropped when there is no OOV token.
    """

    unit = "word"  # what one token is; CharVocabulary's are characters

    def __init__(
        self,
        word_index: dict[str, int],
        *,
        oov_token: str | None = "<oov>",
        num_words: int | None = None,
        index_from: int = 1,
        reserved: tuple[str, ...] = (),
        punctuation: bool = False,
        spellings: dict[str, str] | None = None,
    ) -> None:
        if oov_token is not None and oov_token not in word_index:
            raise ValueError(f"the OOV token {oov_token!r} has no id")
        if any(i <= 0 for i in word_index.values()):
            raise ValueError("ids must be positive: 0 is padding")
        if len(set(word_index.values())) != len(word_index):
            raise ValueError("two words share an id")
        self.word_index = dict(word_index)
        self.index_word = {i: w for w, i in self.word_index.items()}
        self.oov_token = oov_token
        self.num_words = num_words
        self.index_from = index_from
        self.reserved = tuple(reserved)
        self.punctuation = punctuation  # whether texts are tokenised with their punctuation
        # How the text wrote its words (usual_spellings), kept for the words of the vocabulary
        self.spellings = {w: f for w, f in (spellings or {}).items() if w in self.word_index}

    def spelled(self, word: str) -> str:
        """A word as the text it was learned from usually wrote it (see usual_spellings)."""
        return self.spellings.get(word, word)

    def join(self, tokens: Iterable[str]) -> str:
        """Tokens of this vocabulary back into text (words: join_tokens)."""
        return join_tokens(tokens)

    @classmethod
    def build(
        cls,
        texts_or_token_lists: Iterable[str | Sequence[str]] | str,
        *,
        num_words: int | None = None,
        oov_token: str | None = "<oov>",
        index_from: int = 1,
        reserved: tuple[str, ...] = (),
        punctuation: bool = False,
        spellings: dict[str, str] | None = None,
        min_count: int = 1,
    ) -> Vocabulary:
        """Count the words of texts (tokenised here) or of token lists and number them;
        words counted fewer than ``min_count`` times are left to the OOV token."""
        if num_words is not None and num_words < 1:
            raise ValueError(f"num_words must be at least 1, not {num_words}")
        if index_from < 1:
            raise ValueError(f"index_from must be at least 1 (0 is padding), not {index_from}")
        if len(set(reserved)) != len(reserved):
            raise ValueError(f"reserved tokens repeat: {reserved}")
        if isinstance(texts_or_token_lists, str):
            texts_or_token_lists = [texts_or_token_lists]
        counts: Counter[str] = Counter()
        for item in texts_or_token_lists:
            counts.update(as_tokens(item, punctuation))
        specials = list(reserved)
        if oov_token is not None and oov_token not in specials:
            specials.append(oov_token)
        # Counter.most_common sorts stably, so equal counts keep their first-seen order.
        words = [w for w, n in counts.most_common() if w not in specials and n >= min_count]
        word_index = {w: i for i, w in enumerate(specials + words, start=index_from)}
        if num_words is not None:
            word_index = {w: i for w, i in word_index.items() if i < num_words}
            if oov_token is not None and oov_token not in word_index:
                raise ValueError(f"num_words={num_words} leaves no id for {oov_token!r}")
        return cls(
            word_index,
            oov_token=oov_token,
            num_words=num_words,
            index_from=index_from,
            reserved=tuple(reserved),
            punctuation=punctuation,
            spellings=spellings,
        )

    @property
    def oov_index(self) -> int | None:
        return None if self.oov_token is None else self.word_index[self.oov_token]

    def encode(self, text_or_tokens: str | Sequence[str]) -> list[int]:
        """Ids of a text (tokenised here) or of a token list, in order."""
        tokens = as_tokens(text_or_tokens, self.punctuation)
        oov = self.oov_index
        ids = (self.word_index.get(t, oov) for t in tokens)
        return [i for i in ids if i is not None]

    def decode(self, ids: Iterable[int], *, skip_padding: bool = False) -> list[str]:
        """One word per id: padding (0) reads as ``<pad>`` (or is left out with
        ``skip_padding``), an id without a word as the OOV token, or "?" when there is none."""
        unknown = "?" if self.oov_token is None else self.oov_token
        words = []
        for i in map(int, ids):
            if i == 0:
                if not skip_padding:
                    words.append(PAD_TOKEN)
            else:
                words.append(self.index_word.get(i, unknown))
        return words

    def __len__(self) -> int:
        """Size of the id space (highest id + 1, padding included), to size an Embedding."""
        return max(self.index_word, default=0) + 1

    def __contains__(self, word: object) -> bool:
        return word in self.word_index

    def __repr__(self) -> str:
        return f"Vocabulary({len(self.word_index)} tokens, ids 0..{len(self) - 1})"

    def to_dict(self) -> dict:
        """A JSON-able description; ``from_dict`` rebuilds the same vocabulary."""
        return {
            "word_index": dict(self.word_index),
            "oov_token": self.oov_token,
            "num_words": self.num_words,
            "index_from": self.index_from,
            "reserved": list(self.reserved),
            "punctuation": self.punctuation,
            "spellings": dict(self.spellings),
            "unit": self.unit,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Vocabulary:
        if cls is Vocabulary and d.get("unit") == "char":
            return CharVocabulary.from_dict(d)
        try:
            word_index = {str(w): int(i) for w, i in d["word_index"].items()}
            return cls(
                word_index,
                oov_token=d.get("oov_token"),
                num_words=d.get("num_words"),
                index_from=int(d.get("index_from", 1)),
                reserved=tuple(d.get("reserved", ())),
                punctuation=bool(d.get("punctuation", False)),
                spellings={str(w): str(f) for w, f in d.get("spellings", {}).items()},
            )
        except (KeyError, AttributeError, TypeError) as exc:
            raise ValueError(f"not a vocabulary description: {exc!r}") from exc


def char_tokens(text: str) -> list[str]:
    """The characters of one line, as written (spaces and ZWNJ included; Arabic letters are not
    folded and harakat stay): a character model learns the spelling itself. Only the
    invisible formatting that carries no letter (tatweel, bidi marks, BOM) goes, and a run of
    spaces counts as one."""
    text = unicodedata.normalize("NFC", text).translate(dict.fromkeys(map(ord, _INVISIBLE)))
    return list(re.sub(r"[ \t]+", " ", text).strip())


class CharVocabulary(Vocabulary):
    """One id per character (Karpathy's char-rnn): a few dozen ids, so a model learns from a
    few pages what a word model needs a book for. Texts are cut by ``char_tokens``; ``<eos>``
    ends a line and reads back as a new line; the OOV token stands for a character too rare
    to keep."""

    unit = "char"

    def encode(self, text_or_tokens: str | Sequence[str]) -> list[int]:
        tokens = char_tokens(text_or_tokens) if isinstance(text_or_tokens, str) \
            else text_or_tokens
        oov = self.oov_index
        ids = (self.word_index.get(t, oov) for t in tokens)
        return [i for i in ids if i is not None]

    def join(self, tokens: Iterable[str]) -> str:
        return "".join("\n" if token == EOS else token for token in tokens)


def pad_sequences(
    sequences: Sequence[Sequence],
    maxlen: int | None = None,
    *,
    padding: str = "pre",
    truncating: str = "pre",
    value: float = 0,
    dtype: str | np.dtype = "int64",
) -> np.ndarray:
    """Pad or cut sequences to one length, exactly like Keras' ``pad_sequences``.

    ``"pre"`` pads or cuts at the start (the Keras default, which keeps the end of a long
    review next to the classifier), ``"post"`` at the end. Items may be arrays of one shape.
    """
    if padding not in ("pre", "post"):
        raise ValueError(f'padding must be "pre" or "post", not {padding!r}')
    if truncating not in ("pre", "post"):
        raise ValueError(f'truncating must be "pre" or "post", not {truncating!r}')
    if maxlen is not None and maxlen < 0:
        raise ValueError(f"maxlen must not be negative, not {maxlen}")
    lengths = [len(s) for s in sequences]
    sample_shape = next((np.asarray(s).shape[1:] for s in sequences if len(s)), ())
    if maxlen is None:
        maxlen = max(lengths, default=0)
    out = np.full((len(sequences), maxlen, *sample_shape), value, dtype=dtype)
    if maxlen == 0:
        return out
    for row, seq in enumerate(sequences):
        if not len(seq):
            continue
        kept = np.asarray(seq[-maxlen:] if truncating == "pre" else seq[:maxlen], dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"sequence {row} has items of shape {kept.shape[1:]}, expected {sample_shape}"
            )
        if padding == "post":
            out[row, : len(kept)] = kept
        else:
            out[row, -len(kept) :] = kept
    return out

"""The distinct texts of one paragraph as compact token arrays, spelling slips mended, and the
weight of each token within the paragraph.

A document is a set of folded words. It is stored as a run of sorted int32 token ids in one
flat array (a few bytes per word, never one Python object per word), so a million comments fit
in tens of megabytes. A token's weight is its inverse document frequency among the paragraph's
distinct texts: template words that every second comment repeats weigh little, the subject,
the place and the figure that tell comments apart weigh much.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from daihoi.consultation.synthesis.common import IntArray
from daihoi.consultation.synthesis.lexicon import canonical_wording

# A folded Vietnamese syllable: onset, one to three vowels, final consonant. A word that is not
# one (and is not a number) is a slip of the finger, or a foreign word.
_NUCLEI = (
    "ieu|oai|oay|oeo|uay|uoi|uou|uya|uye|uyu|yeu|"
    "ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|ua|ue|ui|uo|uu|uy|ye|"
    "a|e|i|o|u|y"
)
SYLLABLE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?(?:{_NUCLEI})(?:ch|nh|ng|[cmnpt])?"
)
# A well-formed word is taken for a slip only when it is rare (in at most 2 texts, or one in
# 20,000) and a word one edit away is this many times more frequent: "giới" is one edit from
# "giai" and a real word.
SLIP_RATIO = 10
_EMPTY = "\x00"


@dataclass(frozen=True, slots=True)
class TokenizedDocuments:
    """Documents as runs of sorted, distinct token ids: document d is
    ``tokens[starts[d]:starts[d + 1]]``. A token is a word (ids below ``len(vocabulary)``) or
    a pair of adjacent words; ``pair_words`` holds a pair's two word ids (-1, -1 for a word)."""

    tokens: npt.NDArray[np.int32]
    starts: IntArray
    vocabulary: list[str]
    pair_words: npt.NDArray[np.int32]

    @property
    def n_docs(self) -> int:
        return len(self.starts) - 1

    def lengths(self) -> IntArray:
        return np.diff(self.starts)

    def doc_of_token(self) -> IntArray:
        return np.repeat(np.arange(self.n_docs, dtype=np.int64), self.lengths())


def _word_sequences(documents: Iterable[str]) -> tuple[npt.NDArray[np.int32], IntArray, list[str]]:
    """Every document's words in order, as ids into one vocabulary, in one flat array."""
    vocabulary: dict[str, int] = {}
    intern = vocabulary.setdefault
    flat = array("i")
    ends = array("q", [0])
    for document in documents:
        words = canonical_wording(document).split() or [_EMPTY]
        if any(word.isdigit() for word in words):
            words = _numbered_repeats(words)
        flat.extend([intern(word, len(vocabulary)) for word in words])
        ends.append(len(flat))
    # views over the arrays' own buffers, not copies: a million texts' words are held once
    return (
        np.frombuffer(flat, dtype=np.int32),
        np.frombuffer(ends, dtype=np.int64),
        list(vocabulary),
    )


_DOC_CHUNK = 1 << 13


def _chunks(starts: IntArray) -> list[tuple[int, int]]:
    n_docs = len(starts) - 1
    return [(first, min(first + _DOC_CHUNK, n_docs)) for first in range(0, n_docs, _DOC_CHUNK)]


def _distinct_sorted(values: IntArray) -> IntArray:
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _chunk_words(
    words: npt.NDArray[np.int32], starts: IntArray, first: int, last: int
) -> tuple[IntArray, IntArray]:
    """(document within the chunk, word id) of every word of documents first..last-1."""
    lengths = np.diff(starts[first : last + 1])
    doc = np.repeat(np.arange(last - first, dtype=np.int64), lengths)
    return doc, words[starts[first] : starts[last]].astype(np.int64)


def _adjacent(doc: IntArray, chunk_words: IntArray, n_words: int) -> tuple[IntArray, IntArray]:
    """(document, w1 * n_words + w2) of every pair of adjacent words within a document."""
    follows = np.flatnonzero(doc[1:] == doc[:-1])
    return doc[follows], chunk_words[follows] * n_words + chunk_words[follows + 1]


def tokenize(documents: Iterable[str]) -> TokenizedDocuments:
    """Words (slips mended) and pairs of adjacent words of each document, as sets of ids.

    One pass over the texts; afterwards each is held only as integers, and every further
    step works on bounded chunks of documents, so a million texts stay within memory.
    """
    words, starts, vocabulary = _word_sequences(documents)
    n_docs, n_words = len(starts) - 1, len(vocabulary)
    df = np.zeros(n_words, dtype=np.int64)
    for first, last in _chunks(starts):
        doc, chunk_words = _chunk_words(words, starts, first, last)
        distinct = _distinct_sorted(doc * n_words + chunk_words)
        df += np.bincount(distinct % n_words, minlength=n_words)
    corrections = spelling_corrections(vocabulary, df, n_docs=n_docs)
    if corrections:
        mapping = np.arange(n_words, dtype=np.int32)
        mapping[list(corrections)] = list(corrections.values())
        words = mapping[words]
    # the pairs of adjacent words of the whole corpus, numbered after the words
    found = []
    for first, last in _chunks(starts):
        doc, chunk_words = _chunk_words(words, starts, first, last)
        found.append(_distinct_sorted(_adjacent(doc, chunk_words, n_words)[1]))
    pairs = _distinct_sorted(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    del found
    n_tokens = n_words + len(pairs)
    # a document has at most one token per word and one per pair of adjacent words: the runs
    # are written into one array of that bound, shrunk in place at the end (no second copy)
    tokens = np.empty(2 * len(words), dtype=np.int32)
    filled = 0
    lengths = np.zeros(n_docs, dtype=np.int64)
    for first, last in _chunks(starts):
        doc, chunk_words = _chunk_words(words, starts, first, last)
        pair_doc, pair_keys = _adjacent(doc, chunk_words, n_words)
        keys = np.concatenate(
            (
                doc * n_tokens + chunk_words,
                pair_doc * n_tokens + n_words + np.searchsorted(pairs, pair_keys),
            )
        )
        keys = _distinct_sorted(keys)
        lengths[first:last] = np.bincount(keys // n_tokens, minlength=last - first)
        tokens[filled : filled + len(keys)] = keys % n_tokens
        filled += len(keys)
    del words
    tokens.resize(filled, refcheck=False)
    token_starts = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(lengths, out=token_starts[1:])
    pair_words = np.full((n_tokens, 2), -1, dtype=np.int32)
    pair_words[n_words:, 0], pair_words[n_words:, 1] = pairs // n_words, pairs % n_words
    return TokenizedDocuments(
        tokens=tokens, starts=token_starts, vocabulary=vocabulary, pair_words=pair_words
    )


def _numbered_repeats(words: list[str]) -> list[str]:
    """A number's second and later occurrences become tokens of their own ("5", "5#2"), so
    that "from 5 to 5" and "from 5 to 70" differ in a number."""
    seen: dict[str, int] = {}
    numbered = []
    for word in words:
        if not word.isdigit():
            numbered.append(word)
            continue
        seen[word] = seen.get(word, 0) + 1
        numbered.append(word if seen[word] == 1 else f"{word}#{seen[word]}")
    return numbered


def document_frequency(documents: TokenizedDocuments) -> IntArray:
    return np.bincount(documents.tokens, minlength=len(documents.pair_words)).astype(np.int64)


def one_edit(a: str, b: str) -> bool:
    """True when `b` is `a` with one letter dropped, added, changed or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def spelling_corrections(vocabulary: list[str], df: IntArray, *, n_docs: int) -> dict[int, int]:
    """Token id of a slip -> token id of the word meant.

    A slip is a word of three letters or more that is not a Vietnamese syllable (or is a
    syllable, but rare while a word one edit away is far more frequent); it is mended to the
    most frequent well-formed word one edit away that is at least as frequent, unless another
    word one edit away is not `SLIP_RATIO` times rarer: "cog" could be "co" or
    "cong", and a wrong guess would make a content word of a slip, so it is left as typed (a
    rare word, which tells no comments apart). Numbers are never mended: 15 and 16 percent are
    different proposals.
    """
    well_formed = [bool(SYLLABLE.fullmatch(word)) for word in vocabulary]
    index: defaultdict[str, list[int]] = defaultdict(list)
    for token, word in enumerate(vocabulary):
        if well_formed[token] and len(word) >= 2:
            for key in _deletions(word):
                index[key].append(token)
    rare = 2 + n_docs // 20_000
    corrections: dict[int, int] = {}
    for token, word in enumerate(vocabulary):
        if len(word) < 3 or not word.isalpha():
            continue
        if well_formed[token] and df[token] > rare:
            continue  # a common word, not a slip
        best, runner_up = -1, 0
        for key in _deletions(word):
            for target in index.get(key, ()):
                if target in (token, best) or not one_edit(word, vocabulary[target]):
                    continue
                if best < 0 or (df[target], -target) > (df[best], -best):
                    runner_up = int(df[best]) if best >= 0 else 0
                    best = target
                else:
                    runner_up = max(runner_up, int(df[target]))
        if best < 0 or df[best] < SLIP_RATIO * runner_up:
            continue  # no word meant, or two as likely ("cog": "co" or "cong"): left as typed
        if well_formed[token]:
            if df[best] >= SLIP_RATIO * df[token]:
                corrections[token] = best
        elif df[best] >= df[token]:
            corrections[token] = best
    return corrections


def token_weights(df: IntArray, n_docs: int) -> npt.NDArray[np.float64]:
    """Smoothed inverse document frequency: ln((1 + n) / (1 + df)) + 1."""
    return np.log((1.0 + n_docs) / (1.0 + df.astype(np.float64))) + 1.0


def is_number(documents: TokenizedDocuments) -> npt.NDArray[np.bool_]:
    """Which tokens are numbers (a number's repeats too: "5#2")."""
    numbers = np.zeros(len(documents.pair_words), dtype=bool)
    numbers[: len(documents.vocabulary)] = [
        word.partition("#")[0].isdigit() for word in documents.vocabulary
    ]
    return numbers


# A token in more than this share of a paragraph's texts is template, not content.
CONTENT_SHARE = 0.03


def idf_ceiling(n_docs: int, share: float = CONTENT_SHARE) -> float:
    """Weight below which a token (in more than `share` of the texts) is template rather
    than content."""
    return math.log((1.0 + n_docs) / (1.0 + share * n_docs)) + 1.0

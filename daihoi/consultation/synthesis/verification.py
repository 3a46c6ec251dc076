"""Verification of candidate pairs: two texts are variants of one comment (see `Similarity`).

What they share must outweigh what they do not, and what each has that the other lacks may not
be *content*: when both sides hold a word that distinguishes comments in the paragraph (a
subject, a place, a number), they are two proposals, not one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from daihoi.consultation.synthesis.common import DEFAULT_THRESHOLD, IntArray
from daihoi.consultation.synthesis.minhash import FloatArray
from daihoi.consultation.synthesis.tokens import (
    TokenizedDocuments,
    document_frequency,
    idf_ceiling,
    is_number,
    token_weights,
    tokenize,
)

# pairs verified at once: each pair unrolls both documents' tokens
_VERIFY_CHUNK = 1 << 14
_ESTABLISHED = 3
_ESTABLISHED_SHARE = 0.0002
_UNIT_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Similarity:
    """When two texts are variants of one comment (see the module docstring).

    - `shared`: weighted Jaccard of their word sets at least this;
    - `one_sided`: what the lighter side lacks weighs at most this share of what it has;
    - two texts that each hold a *content* token the other lacks are apart (a token is
      content when it is in fewer than `tokens.CONTENT_SHARE` of the paragraph's texts but
      in more than a handful), and so are two texts that each hold a number the other lacks.
    """

    shared: float = DEFAULT_THRESHOLD
    one_sided: float = 0.35


DEFAULT_SIMILARITY = Similarity()


class Verifier:
    """Compares documents on their weighted tokens, many pairs at a time."""

    def __init__(
        self, documents: TokenizedDocuments, weights: FloatArray, similarity: Similarity
    ) -> None:
        self.documents = documents
        self.lengths = documents.lengths()
        self.weights = weights
        self.n_tokens = len(weights)
        self.numbers = is_number(documents)
        self.pair_words = documents.pair_words
        self.similarity = similarity
        df = document_frequency(documents)
        # content: rare enough to tell comments apart, common enough not to be an accident
        # (a slip, or two phrases that happen to meet)
        self.content = (weights >= idf_ceiling(documents.n_docs)) & (
            df >= max(_ESTABLISHED, documents.n_docs * _ESTABLISHED_SHARE)
        )

        cumulative = np.concatenate(([0.0], np.cumsum(weights[documents.tokens])))
        # a pair of words that reads as a unit ("Sơn La"): most texts with its rarer word
        # have the pair
        words = documents.pair_words
        is_pair = words[:, 0] >= 0
        rarer = np.minimum(df[words[is_pair, 0]], df[words[is_pair, 1]])
        self.unit = np.zeros(len(df), dtype=bool)
        self.unit[is_pair] = df[is_pair] >= _UNIT_SHARE * np.maximum(rarer, 1)
        self.total = cumulative[documents.starts[1:]] - cumulative[documents.starts[:-1]]

    def _side(self, docs: IntArray) -> tuple[IntArray, npt.NDArray[np.int32], IntArray]:
        """(pair * n_tokens + token) keys, sorted, of the tokens of `docs`; tokens; pair."""
        starts, lengths = self.documents.starts[docs], self.lengths[docs]
        ends = np.cumsum(lengths)
        position = np.arange(int(ends[-1]), dtype=np.int64) + np.repeat(
            starts - ends + lengths, lengths
        )
        pair = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        tokens = self.documents.tokens[position]
        return pair * self.n_tokens + tokens, tokens, pair

    @staticmethod
    def _contains(sorted_keys: IntArray, keys: IntArray) -> npt.NDArray[np.bool_]:
        found = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
        return sorted_keys[found] == keys

    def accept(self, low: IntArray, high: IntArray) -> npt.NDArray[np.bool_]:
        """Whether each pair (low[i], high[i]) are variants of one comment."""
        accepted = np.empty(len(low), dtype=bool)
        for start in range(0, len(low), _VERIFY_CHUNK):
            stop = start + _VERIFY_CHUNK
            accepted[start:stop] = self._accept_chunk(low[start:stop], high[start:stop])
        return accepted

    def _alone_content(
        self,
        tokens: npt.NDArray[np.int32],
        pair: IntArray,
        shared: npt.NDArray[np.bool_],
        other_keys: IntArray,
        n_pairs: int,
    ) -> npt.NDArray[np.bool_]:
        """Per pair: does this side hold a content token the other lacks? A pair of words
        whose two words are both on the other side counts only when it reads as a unit (two
        clauses in another order make new pairs of words, not new content; "Lạng Sơn" and
        "Sơn La" are two places)."""
        alone = ~shared & self.content[tokens]
        words = self.pair_words[tokens[alone]]
        base = pair[alone] * self.n_tokens
        both_there = self._contains(other_keys, base + words[:, 0]) & self._contains(
            other_keys, base + words[:, 1]
        )
        counts = (words[:, 0] < 0) | ~both_there | self.unit[tokens[alone]]
        hits = np.zeros(n_pairs, dtype=bool)
        hits[pair[alone][counts]] = True
        return hits

    def _accept_chunk(self, low: IntArray, high: IntArray) -> npt.NDArray[np.bool_]:
        n_pairs = len(low)
        if n_pairs == 0:
            return np.empty(0, dtype=bool)
        low_keys, low_tokens, low_pair = self._side(low)
        high_keys, high_tokens, high_pair = self._side(high)
        low_shared = self._contains(high_keys, low_keys)
        high_shared = self._contains(low_keys, high_keys)
        low_weight = self.weights[low_tokens]
        shared = np.bincount(
            low_pair[low_shared], weights=low_weight[low_shared], minlength=n_pairs
        )
        only_low = np.maximum(self.total[low] - shared, 0.0)
        only_high = np.maximum(self.total[high] - shared, 0.0)
        lighter = np.minimum(only_low, only_high)
        rule = self.similarity
        ok = shared >= rule.shared * (shared + only_low + only_high)
        ok &= lighter <= rule.one_sided * (shared + lighter)
        ok &= ~(
            self._alone_content(low_tokens, low_pair, low_shared, high_keys, n_pairs)
            & self._alone_content(high_tokens, high_pair, high_shared, low_keys, n_pairs)
        )
        numbers = self.numbers
        low_numbers = np.zeros(n_pairs, dtype=bool)
        low_numbers[low_pair[numbers[low_tokens] & ~low_shared]] = True
        high_numbers = np.zeros(n_pairs, dtype=bool)
        high_numbers[high_pair[numbers[high_tokens] & ~high_shared]] = True
        ok &= ~(low_numbers & high_numbers)
        return ok


def pair_similarity(
    first: str,
    second: str,
    *,
    context: Sequence[str] = (),
    similarity: Similarity = DEFAULT_SIMILARITY,
) -> bool:
    """Whether two normalized texts are variants of one comment, weighed among `context`
    (the other texts of the paragraph, which decide what is template and what is content)."""
    documents = list(dict.fromkeys([first, second, *context]))
    tokenized = prepared(documents)
    verifier = Verifier(tokenized[0], tokenized[1], similarity)
    low = np.array([documents.index(first)], dtype=np.int64)
    high = np.array([documents.index(second)], dtype=np.int64)
    if low[0] == high[0]:
        return True
    return bool(verifier.accept(low, high)[0])


def prepared(documents: Sequence[str]) -> tuple[TokenizedDocuments, FloatArray]:
    tokenized = tokenize(documents)
    return tokenized, token_weights(document_frequency(tokenized), tokenized.n_docs)

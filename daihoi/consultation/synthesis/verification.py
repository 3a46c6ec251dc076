"""Verification of candidate pairs: two texts are variants of one comment (see `Similarity`).

What they share must outweigh what they do not, and what each has that the other lacks may not
be *content*: when both sides hold a word that distinguishes comments in the paragraph (a
subject, a place, a number), they are two proposals, not one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from daihoi.consultation.synthesis.common import DEFAULT_THRESHOLD, IntArray
from daihoi.consultation.synthesis.minhash import FloatArray
from daihoi.consultation.synthesis.tokens import (
    SLIP_RATIO,
    SYLLABLE,
    TokenizedDocuments,
    document_frequency,
    idf_ceiling,
    is_number,
    one_edit,
    token_weights,
    tokenize,
)

# pairs verified at once: each pair unrolls both documents' tokens
_VERIFY_CHUNK = 1 << 12
_ESTABLISHED = 3
_ESTABLISHED_SHARE = 0.0002
_UNIT_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Similarity:
    """When two texts are variants of one comment (see the module docstring).

    - `shared`: weighted Jaccard of their word sets at least this;
    - `one_sided`: what the lighter side lacks weighs at most this share of what it has;
    - two texts that each hold a *content* token the other lacks are apart (see
      `content_tokens`; a word the other side holds mistyped in its place is one word), and
      so are two texts that each hold a number the other lacks.
    """

    shared: float = DEFAULT_THRESHOLD
    one_sided: float = 0.35


DEFAULT_SIMILARITY = Similarity()


def _sorted_unique(values: IntArray) -> IntArray:
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _document_weights(documents: TokenizedDocuments, weights: FloatArray) -> FloatArray:
    """Sum of each document's token weights, over bounded runs of tokens."""
    total = np.empty(documents.n_docs, dtype=np.float64)
    starts, n_docs = documents.starts, documents.n_docs
    first = 0
    while first < n_docs:
        last = int(np.searchsorted(starts, starts[first] + (1 << 22), side="right")) - 1
        last = min(max(last, first + 1), n_docs)
        run = weights[documents.tokens[starts[first] : starts[last]]]
        total[first:last] = np.add.reduceat(run, starts[first:last] - starts[first])
        first = last
    return total


class Verifier:
    """Compares documents on their weighted tokens, many pairs at a time."""

    def __init__(
        self,
        documents: TokenizedDocuments,
        weights: FloatArray,
        similarity: Similarity,
        *,
        usage: tuple[IntArray, IntArray] | None = None,
    ) -> None:
        """`usage`, when given, is per token (in how many pairs of variants found in a first
        pass both hold it, in how many one only): see `content_tokens`."""
        self.documents = documents
        self.lengths = documents.lengths()
        self.weights = weights
        self.n_tokens = len(weights)
        self.numbers = is_number(documents)
        self.pair_words = documents.pair_words
        self.similarity = similarity
        df = self.df = document_frequency(documents)
        self.content = content_tokens(df, weights, documents.n_docs, usage)
        # content that the first pass's variants were seen to keep: a word pair of it counts
        # even when both its words are on the other side ("An Giang" / "Bắc Giang" where
        # "an" is in "an ninh"); the new pairs of a moved clause are seen added and dropped
        self.kept = np.zeros(len(df), dtype=bool)
        if usage is not None:
            self.kept = self.content & (usage[0] + usage[1] >= _USAGE_EVIDENCE)

        # a pair of words that reads as a unit ("Sơn La"): most texts with its rarer word
        # have the pair
        words = documents.pair_words
        is_pair = words[:, 0] >= 0
        rarer = np.minimum(df[words[is_pair, 0]], df[words[is_pair, 1]])
        self.unit = np.zeros(len(df), dtype=bool)
        self.unit[is_pair] = df[is_pair] >= _UNIT_SHARE * np.maximum(rarer, 1)
        self.total = _document_weights(documents, weights)

        # words that may be a slip for a word one edit away on the other side of a pair
        vocabulary = documents.vocabulary
        self.word_length = np.array([len(word) for word in vocabulary], dtype=np.int64)
        self.slippable = np.zeros(len(df), dtype=bool)
        self.slippable[: len(vocabulary)] = [
            word.isalpha() and len(word) >= 2 for word in vocabulary
        ]
        self.syllable = np.array([bool(SYLLABLE.fullmatch(w)) for w in vocabulary], dtype=bool)
        self._slip_of: dict[int, bool] = {}
        self.n_words = len(vocabulary)
        self.pair_keys = (
            words[self.n_words :, 0].astype(np.int64) * self.n_words + words[self.n_words :, 1]
        )

    def _slips(self, first: IntArray, second: IntArray) -> npt.NDArray[np.bool_]:
        """Whether word `first[i]` is word `second[i]` mistyped (or the reverse): one letter
        dropped, added, changed or two swapped, and one of them no Vietnamese syllable or far
        rarer than the other (`tokens.SLIP_RATIO`), as `tokens.spelling_corrections` judges a
        slip: "sa"/"sửa" and "cing"/"công" are slips, "vinh"/"ninh" are two places."""
        low, high = np.minimum(first, second), np.maximum(first, second)
        near = np.abs(self.word_length[low] - self.word_length[high]) <= 1
        rarer = np.minimum(self.df[low], self.df[high])
        near &= (np.maximum(self.df[low], self.df[high]) >= SLIP_RATIO * rarer) | ~(
            self.syllable[low] & self.syllable[high]
        )
        keys = low[near] * self.n_tokens + high[near]
        unique = _sorted_unique(keys)
        vocabulary = self.documents.vocabulary
        known = self._slip_of
        for key in unique.tolist():
            if key not in known:
                a, b = divmod(key, self.n_tokens)
                known[key] = one_edit(vocabulary[a], vocabulary[b])
        result = np.zeros(len(first), dtype=bool)
        if len(keys):
            answers = np.array([known[key] for key in unique.tolist()], dtype=bool)
            result[near] = answers[np.searchsorted(unique, keys)]
        return result

    def _explained_slips(
        self,
        conflict: npt.NDArray[np.bool_],
        sides: tuple[tuple[npt.NDArray[np.int32], IntArray, npt.NDArray[np.bool_]], ...],
    ) -> tuple[tuple[IntArray, IntArray], tuple[IntArray, IntArray]]:
        """For the pairs in `conflict`, per side: (pair * n_tokens + word) keys, sorted, of
        the word that the other side holds mistyped in its place, and that other word. A pair of
        texts has at most one slip: when more than one word alone on one side is one letter
        from a word alone on the other ("bình định"/"tây ninh", "vùng ven"/"hưng yên"), those
        are other words, not slips."""
        (a_tokens, a_pair, a_shared), (b_tokens, b_pair, b_shared) = sides
        a_mask = ~a_shared & self.slippable[a_tokens] & conflict[a_pair]
        b_mask = ~b_shared & self.slippable[b_tokens] & conflict[b_pair]
        a_word, a_of = a_tokens[a_mask].astype(np.int64), a_pair[a_mask]
        b_word, b_of = b_tokens[b_mask].astype(np.int64), b_pair[b_mask]
        empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
        if not len(a_word) or not len(b_word):
            return empty, empty
        # every word alone on one side against every word alone on the other, per pair
        begin = np.searchsorted(b_of, a_of, side="left")
        count = np.searchsorted(b_of, a_of, side="right") - begin
        if not count.sum():
            return empty, empty
        which_a = np.repeat(np.arange(len(a_word)), count)
        offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        which_b = np.repeat(begin, count) + offsets
        hit = self._slips(a_word[which_a], b_word[which_b])
        which_a, which_b = which_a[hit], which_b[hit]
        # one slip per pair of texts: two words each one letter from another are two words
        single = np.bincount(a_of[which_a], minlength=len(conflict))[a_of[which_a]] == 1
        which_a, which_b = which_a[single], which_b[single]
        a_keys = a_of[which_a] * self.n_tokens + a_word[which_a]
        b_keys = b_of[which_b] * self.n_tokens + b_word[which_b]
        a_order, b_order = np.argsort(a_keys), np.argsort(b_keys)
        return (
            (a_keys[a_order], b_word[which_b][a_order]),
            (b_keys[b_order], a_word[which_a][b_order]),
        )

    def _pair_token(self, first: IntArray, second: IntArray) -> IntArray:
        """Token id of the pair of words (first[i], second[i]); -1 where no text has it."""
        keys = first * self.n_words + second
        found = np.minimum(np.searchsorted(self.pair_keys, keys), max(len(self.pair_keys) - 1, 0))
        if not len(self.pair_keys):
            return np.full(len(keys), -1, dtype=np.int64)
        return np.where(self.pair_keys[found] == keys, self.n_words + found, -1)

    def usage(self, low: IntArray, high: IntArray) -> tuple[IntArray, IntArray]:
        """Per token: in how many pairs (low[i], high[i]) both hold it; in how many one side
        holds it and the other holds no word of its own (a formula added or dropped; a pair
        where both sides hold words of their own is a substitution, no evidence of that)."""
        both = np.zeros(self.n_tokens, dtype=np.int64)
        one = np.zeros(self.n_tokens, dtype=np.int64)
        n_words = self.n_words
        for start in range(0, len(low), _VERIFY_CHUNK):
            stop = start + _VERIFY_CHUNK
            n_pairs = len(low[start:stop])
            (_lk, low_tokens, low_pair, low_shared), (_hk, high_tokens, high_pair, high_shared) = (
                self._sides(low[start:stop], high[start:stop])
            )
            both += np.bincount(low_tokens[low_shared], minlength=self.n_tokens)
            low_own = np.bincount(low_pair[~low_shared & (low_tokens < n_words)], minlength=n_pairs)
            high_own = np.bincount(
                high_pair[~high_shared & (high_tokens < n_words)], minlength=n_pairs
            )
            added = ~low_shared & (high_own[low_pair] == 0)
            one += np.bincount(low_tokens[added], minlength=self.n_tokens)
            added = ~high_shared & (low_own[high_pair] == 0)
            one += np.bincount(high_tokens[added], minlength=self.n_tokens)
        return both, one

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
        if not len(sorted_keys):
            return np.zeros(len(keys), dtype=bool)
        found = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
        return sorted_keys[found] == keys

    def accept(
        self, low: IntArray, high: IntArray, *, weighed: bool = False
    ) -> npt.NDArray[np.bool_]:
        """Whether each pair (low[i], high[i]) are variants of one comment. With `weighed`,
        the pairs are known to pass `weighs` (which does not depend on what is content)."""
        accepted = np.empty(len(low), dtype=bool)
        for start in range(0, len(low), _VERIFY_CHUNK):
            stop = start + _VERIFY_CHUNK
            accepted[start:stop] = self._accept_chunk(
                low[start:stop], high[start:stop], weighed=weighed
            )
        return accepted

    def weighs(self, low: IntArray, high: IntArray) -> npt.NDArray[np.bool_]:
        """Whether each pair passes the tests on weights and numbers alone (not on content)."""
        passed = np.empty(len(low), dtype=bool)
        for start in range(0, len(low), _VERIFY_CHUNK):
            stop = start + _VERIFY_CHUNK
            sides = self._sides(low[start:stop], high[start:stop])
            passed[start:stop] = self._weighs(low[start:stop], high[start:stop], sides)
        return passed

    def _alone_content(
        self,
        tokens: npt.NDArray[np.int32],
        pair: IntArray,
        shared: npt.NDArray[np.bool_],
        other_keys: IntArray,
        n_pairs: int,
        slips: tuple[IntArray, IntArray] | None = None,
    ) -> npt.NDArray[np.bool_]:
        """Per pair: does this side hold a content token the other lacks? A pair of words
        whose two words are both on the other side counts only when it reads as a unit (two
        clauses in another order make new pairs of words, not new content; "Lạng Sơn" and
        "Sơn La" are two places). A word in `slips` (pair * n_tokens + word, and the word the
        other side holds mistyped in its place) does not count, nor does a pair of words
        holding it whose mistyped form is on the other side ("gia lộc"/"gai lộc")."""
        alone = ~shared & self.content[tokens]
        words = self.pair_words[tokens[alone]]
        base = pair[alone] * self.n_tokens
        both_there = self._contains(other_keys, base + words[:, 0]) & self._contains(
            other_keys, base + words[:, 1]
        )
        counts = (words[:, 0] < 0) | ~both_there | self.unit[tokens[alone]]
        counts |= self.kept[tokens[alone]]
        if slips is not None and len(slips[0]):
            keys, partners = slips
            is_word = words[:, 0] < 0
            counts &= ~(is_word & self._contains(keys, base + tokens[alone]))
            # a pair of words: its counterpart with the slipped word(s) replaced
            replaced = []
            for column in (0, 1):
                where = np.minimum(np.searchsorted(keys, base + words[:, column]), len(keys) - 1)
                slipped = ~is_word & (keys[where] == base + words[:, column])
                replaced.append((np.where(slipped, partners[where], words[:, column]), slipped))
            touched = replaced[0][1] | replaced[1][1]
            if touched.any():
                counterpart = self._pair_token(replaced[0][0][touched], replaced[1][0][touched])
                there = (counterpart >= 0) & self._contains(
                    other_keys, base[touched] + np.maximum(counterpart, 0)
                )
                counts[np.flatnonzero(touched)[there]] = False
        hits = np.zeros(n_pairs, dtype=bool)
        hits[pair[alone][counts]] = True
        return hits

    def _sides(self, low: IntArray, high: IntArray) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """Per side: keys, tokens, pair, and which of its tokens the other side shares."""
        low_keys, low_tokens, low_pair = self._side(low)
        high_keys, high_tokens, high_pair = self._side(high)
        low_shared = self._contains(high_keys, low_keys)
        high_shared = self._contains(low_keys, high_keys)
        return (low_keys, low_tokens, low_pair, low_shared), (
            high_keys,
            high_tokens,
            high_pair,
            high_shared,
        )

    def _weighs(
        self, low: IntArray, high: IntArray, sides: tuple[tuple[Any, ...], tuple[Any, ...]]
    ) -> npt.NDArray[np.bool_]:
        (_lk, low_tokens, low_pair, low_shared), (_hk, high_tokens, high_pair, high_shared) = sides
        n_pairs = len(low)
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
        numbers = self.numbers
        low_numbers = np.zeros(n_pairs, dtype=bool)
        low_numbers[low_pair[numbers[low_tokens] & ~low_shared]] = True
        high_numbers = np.zeros(n_pairs, dtype=bool)
        high_numbers[high_pair[numbers[high_tokens] & ~high_shared]] = True
        ok &= ~(low_numbers & high_numbers)
        return ok

    def _accept_chunk(
        self, low: IntArray, high: IntArray, *, weighed: bool
    ) -> npt.NDArray[np.bool_]:
        n_pairs = len(low)
        if n_pairs == 0:
            return np.empty(0, dtype=bool)
        sides = self._sides(low, high)
        ok = np.ones(n_pairs, dtype=bool) if weighed else self._weighs(low, high, sides)
        if not ok.any():
            return ok
        # the content test, on the pairs that passed the others only
        (
            (low_keys, low_tokens, low_pair, low_shared),
            (
                high_keys,
                high_tokens,
                high_pair,
                high_shared,
            ),
        ) = sides
        if not weighed:
            low_in, high_in = ok[low_pair], ok[high_pair]
            low_keys, low_tokens, low_pair, low_shared = (
                low_keys[low_in],
                low_tokens[low_in],
                low_pair[low_in],
                low_shared[low_in],
            )
            high_keys, high_tokens, high_pair, high_shared = (
                high_keys[high_in],
                high_tokens[high_in],
                high_pair[high_in],
                high_shared[high_in],
            )
        conflict = self._alone_content(low_tokens, low_pair, low_shared, high_keys, n_pairs)
        if conflict.any():  # the other side matters only where this one holds content
            keep = conflict[high_pair]
            conflict &= self._alone_content(
                high_tokens[keep], high_pair[keep], high_shared[keep], low_keys, n_pairs
            )
        if conflict.any():
            # a word on each side that is the other's slip ("gia"/"gai") is one word
            low_slips, high_slips = self._explained_slips(
                conflict,
                ((low_tokens, low_pair, low_shared), (high_tokens, high_pair, high_shared)),
            )
            if len(low_slips[0]):
                slipped = np.zeros(n_pairs, dtype=bool)
                slipped[low_slips[0] // self.n_tokens] = True
                low_in, high_in = slipped[low_pair], slipped[high_pair]
                still = self._alone_content(
                    low_tokens[low_in],
                    low_pair[low_in],
                    low_shared[low_in],
                    high_keys[high_in],
                    n_pairs,
                    low_slips,
                ) & self._alone_content(
                    high_tokens[high_in],
                    high_pair[high_in],
                    high_shared[high_in],
                    low_keys[low_in],
                    n_pairs,
                    high_slips,
                )
                conflict[slipped] = still[slipped]
        return ok & ~conflict


# A token that variants found in a first pass drop or add in more than this share of the pairs
# holding it is a formula (an opener, a filler), not content; judged on this many pairs at least.
_OPTIONAL_SHARE = 0.15
_USAGE_EVIDENCE = 5
# A token the variants keep is content up to this share of the texts (a much-discussed place).
_KEPT_SHARE = 0.10


def content_tokens(
    df: IntArray,
    weights: FloatArray,
    n_docs: int,
    usage: tuple[IntArray, IntArray] | None = None,
) -> npt.NDArray[np.bool_]:
    """Tokens that tell comments apart: in at least a handful of texts (fewer could be a slip,
    or two phrases that happen to meet), and not a formula.

    Without `usage`, a formula is a token in more than `tokens.CONTENT_SHARE` of the texts.
    With it (per token: pairs of variants found in a first pass that both hold it, pairs
    that one only holds), a token seen in at least `_USAGE_EVIDENCE` such pairs is a formula
    when one side only holds it in more than `_OPTIONAL_SHARE` of them: variants add and drop
    openers and fillers, they keep the subject and the place. A token they keep is content up
    to `_KEPT_SHARE` of the texts (a place many comments name), above it template. Tokens seen
    in fewer pairs fall back to the share rule.
    """
    established = df >= max(_ESTABLISHED, n_docs * _ESTABLISHED_SHARE)
    rare_enough = weights >= idf_ceiling(n_docs)
    if usage is None:
        return established & rare_enough
    both, one = usage
    seen = both + one
    kept = (one <= _OPTIONAL_SHARE * seen) & (weights >= idf_ceiling(n_docs, _KEPT_SHARE))
    return established & np.where(seen >= _USAGE_EVIDENCE, kept, rare_enough)


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

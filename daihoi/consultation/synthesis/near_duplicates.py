"""Near-duplicate grouping that weighs what distinguishes comments.

Per paragraph: exact duplicates collapse; each distinct text becomes a set of folded words with
slips mended (`tokens`); a weighted MinHash over those sets (weights: inverse document
frequency in the paragraph) feeds LSH, which proposes candidate pairs; every candidate is then
verified on its words and their weights (`pair_similarity`); linked components are split into
stars around the most copied text.

Two texts are variants of one comment when what they share outweighs what they do not, and
what each has that the other lacks is not *content*: a template word, an opener or a filler may
be on one side only or swapped, but when both sides hold a word that distinguishes comments in
this paragraph (a subject, a place, a number), they are two proposals, not one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from daihoi.consultation.synthesis.common import (
    DEFAULT_NUM_PERM,
    DEFAULT_THRESHOLD,
    Comment,
    Group,
    HashArray,
    IntArray,
    normalize_comment,
    split_by_paragraph,
)
from daihoi.consultation.synthesis.tokens import (
    TokenizedDocuments,
    document_frequency,
    idf_ceiling,
    is_number,
    token_weights,
    tokenize,
)

FloatArray = npt.NDArray[np.float64]

# Pairs proposed per bucket member: its nearest predecessors in the bucket. Connectivity
# needs only one; a few more survive a failed verification. Caps work on giant buckets.
_BUCKET_WINDOW = 6
_TOKEN_CHUNK = 1 << 16
_PAIR_CHUNK = 1 << 16
# pairs verified at once: each pair unrolls both documents' tokens
_VERIFY_CHUNK = 1 << 14
# MinHash agreement a candidate needs before its words are compared (a loose pre-filter).
_CANDIDATE_SHARE = 0.35
_ESTABLISHED = 3
_ESTABLISHED_SHARE = 0.0002
_UNIT_SHARE = 0.4
# Weighted MinHash: a token of weight w counts as round(w) copies.
_MAX_COPIES = 16


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


def _mix64(values: HashArray) -> HashArray:
    """splitmix64 finalizer: spreads structured integers (token ids) over 64 bits."""
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values


def _token_minhashes(weights: FloatArray, *, num_perm: int, seed: int) -> npt.NDArray[np.uint32]:
    """For each token and permutation, the least hash over the token's copies: a document's
    signature is then the least over its tokens (weighted MinHash, weights quantized)."""
    rng = np.random.default_rng(seed)
    multipliers = (rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1))[
        np.newaxis, :
    ]
    offsets = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)[np.newaxis, :]
    copies = np.clip(np.rint(weights), 1, _MAX_COPIES).astype(np.int64)
    n_tokens = len(weights)
    table = np.full((n_tokens, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    token_ids = np.arange(n_tokens, dtype=np.uint64)
    for copy in range(int(copies.max()) if n_tokens else 0):
        having = np.flatnonzero(copies > copy)
        keys = _mix64(token_ids[having] * np.uint64(_MAX_COPIES) + np.uint64(copy))[:, np.newaxis]
        values = ((multipliers * keys + offsets) >> np.uint64(32)).astype(np.uint32)
        table[having] = np.minimum(table[having], values)
    return table


def _signatures(
    documents: TokenizedDocuments, table: npt.NDArray[np.uint32]
) -> npt.NDArray[np.uint32]:
    """MinHash signature of each document: the least of its tokens' values, in chunks."""
    n_docs = documents.n_docs
    signatures = np.empty((n_docs, table.shape[1]), dtype=np.uint32)
    starts, tokens = documents.starts, documents.tokens
    first = 0
    while first < n_docs:
        last = int(np.searchsorted(starts, starts[first] + _TOKEN_CHUNK, side="right")) - 1
        last = min(max(last, first + 1), n_docs)
        chunk = table[tokens[starts[first] : starts[last]]]
        signatures[first:last] = np.minimum.reduceat(
            chunk, starts[first:last] - starts[first], axis=0
        )
        first = last
    return signatures


def lsh_bands(*, threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for `num_perm`, trading missed pairs (weight 0.8) for extra candidates.

    Extra candidates only cost verification time, so a missed pair weighs more.
    """
    grid = np.linspace(0.0, 1.0, 201)
    best: tuple[float, int, int] = (math.inf, 1, num_perm)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        probability = 1.0 - (1.0 - grid**rows) ** bands
        false_positive = float(np.trapezoid(np.where(grid < threshold, probability, 0.0), grid))
        false_negative = float(
            np.trapezoid(np.where(grid >= threshold, 1.0 - probability, 0.0), grid)
        )
        cost = 0.2 * false_positive + 0.8 * false_negative
        if cost < best[0]:
            best = (cost, bands, rows)
    return best[1], best[2]


def _band_keys(signatures: npt.NDArray[np.uint32], *, band: int, rows: int) -> HashArray:
    block = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
    keys = block[:, 0].copy()
    for column in range(1, rows):
        keys = _mix64(keys * np.uint64(0x9E3779B97F4A7C15) + block[:, column])
    return keys


def _agreeing(signatures: npt.NDArray[np.uint32], low: IntArray, high: IntArray) -> IntArray:
    """How many MinHash values each pair (low[i], high[i]) shares, in bounded chunks."""
    agree = np.empty(len(low), dtype=np.int64)
    for start in range(0, len(low), _PAIR_CHUNK):
        stop = start + _PAIR_CHUNK
        agree[start:stop] = (signatures[low[start:stop]] == signatures[high[start:stop]]).sum(
            axis=1
        )
    return agree


class _Verifier:
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
    tokenized = _prepared(documents)
    verifier = _Verifier(tokenized[0], tokenized[1], similarity)
    low = np.array([documents.index(first)], dtype=np.int64)
    high = np.array([documents.index(second)], dtype=np.int64)
    if low[0] == high[0]:
        return True
    return bool(verifier.accept(low, high)[0])


def _prepared(documents: Sequence[str]) -> tuple[TokenizedDocuments, FloatArray]:
    tokenized = tokenize(documents)
    return tokenized, token_weights(document_frequency(tokenized), tokenized.n_docs)


def _sorted_unique(values: IntArray) -> IntArray:
    """np.unique by sorting (numpy's hash-based unique is slower on these integer codes)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _linked_pairs(
    signatures: npt.NDArray[np.uint32],
    verifier: _Verifier,
    *,
    bands: int,
    rows: int,
    needed: int,
) -> tuple[IntArray, IntArray]:
    """Pairs of documents that share an LSH bucket in some band, agree on at least `needed`
    MinHash values and pass the verifier. Each candidate pair is verified once."""
    n_docs = len(signatures)
    seen = np.empty(0, dtype=np.int64)
    linked: list[IntArray] = []
    for band in range(bands):
        keys = _band_keys(signatures, band=band, rows=rows)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        del keys
        found: list[IntArray] = []
        for distance in range(1, min(_BUCKET_WINDOW, n_docs - 1) + 1):
            same = sorted_keys[distance:] == sorted_keys[:-distance]
            if not same.any():
                break
            first, second = order[:-distance][same], order[distance:][same]
            low, high = np.minimum(first, second), np.maximum(first, second)
            keep = _agreeing(signatures, low, high) >= needed
            found.append(low[keep] * n_docs + high[keep])
        if not found:
            continue
        candidates = _sorted_unique(np.concatenate(found))
        if len(seen):
            where = np.minimum(np.searchsorted(seen, candidates), len(seen) - 1)
            candidates = candidates[seen[where] != candidates]
        if not len(candidates):
            continue
        seen = np.sort(np.concatenate((seen, candidates)))
        low, high = candidates // n_docs, candidates % n_docs
        linked.append(candidates[verifier.accept(low, high)])
    if not linked:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    pairs = np.concatenate(linked)
    return pairs // n_docs, pairs % n_docs


def _stars(verifier: _Verifier, components: IntArray, *, weights: IntArray) -> IntArray:
    """Split each linked component into stars: its heaviest document not yet placed (most
    copies, then first seen) becomes a centre and takes every unplaced member that is its
    variant directly. A chain of small rewordings cannot join unrelated comments. All
    components take their next centre at once, so the rounds number the stars of the largest
    component, not the components."""
    n_docs = len(components)
    labels: IntArray = np.arange(n_docs, dtype=np.int64)
    sizes = np.bincount(components)
    candidates = np.flatnonzero(sizes[components] > 1)
    # unplaced members, by component, heaviest first
    remaining = candidates[np.lexsort((candidates, -weights[candidates], components[candidates]))]
    while len(remaining) > 1:
        component = components[remaining]
        first = np.ones(len(remaining), dtype=bool)
        first[1:] = component[1:] != component[:-1]
        centre_of = remaining[np.maximum.accumulate(np.where(first, np.arange(len(remaining)), 0))]
        members = ~first
        close = np.zeros(len(remaining), dtype=bool)
        close[members] = verifier.accept(centre_of[members], remaining[members])
        labels[remaining[close]] = centre_of[close]
        remaining = remaining[members & ~close]
        # a component left with one member has nothing more to split
        component = components[remaining]
        alone = np.ones(len(remaining), dtype=bool)
        if len(remaining) > 1:
            same_before = np.zeros(len(remaining), dtype=bool)
            same_before[1:] = component[1:] == component[:-1]
            same_after = np.zeros(len(remaining), dtype=bool)
            same_after[:-1] = same_before[1:]
            alone = ~(same_before | same_after)
        remaining = remaining[~alone]
    return labels


def near_duplicate_labels(
    documents: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    num_perm: int = DEFAULT_NUM_PERM,
    seed: int = 1,
    weights: IntArray | None = None,
    similarity: Similarity | None = None,
) -> IntArray:
    """Group label of each normalized, distinct document (same label, same group);
    `weights` (copies of each document) decide which documents become group centres."""
    n_docs = len(documents)
    if n_docs <= 1:
        return np.zeros(n_docs, dtype=np.int64)
    rule = similarity or Similarity(shared=threshold)
    tokenized, token_weight = _prepared(documents)
    table = _token_minhashes(token_weight, num_perm=num_perm, seed=seed)
    signatures = _signatures(tokenized, table)
    del table
    verifier = _Verifier(tokenized, token_weight, rule)
    bands, rows = lsh_bands(threshold=rule.shared, num_perm=num_perm)
    needed = math.ceil(_CANDIDATE_SHARE * num_perm - 1e-9)
    low, high = _linked_pairs(signatures, verifier, bands=bands, rows=rows, needed=needed)
    del signatures
    graph = coo_matrix((np.ones(len(low), dtype=np.int8), (low, high)), shape=(n_docs, n_docs))
    _, components = connected_components(graph, directed=False)
    copies = np.ones(n_docs, dtype=np.int64) if weights is None else weights
    return _stars(verifier, components.astype(np.int64), weights=copies)


def group_near_duplicates(
    comments: Iterable[Comment],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    num_perm: int = DEFAULT_NUM_PERM,
    include_singletons: bool = False,
    similarity: Similarity | None = None,
) -> list[Group]:
    """Group comments that are exact or near duplicates of each other, per paragraph.

    `threshold` is the least weighted Jaccard similarity of two variants' word sets (see
    `Similarity` for the rest of the rule). Groups come largest first, then by representative
    id. Singletons are left out unless `include_singletons`. The representative is the earliest
    comment (lowest id) of the group's most repeated normalized text.
    """
    groups: list[Group] = []
    for paragraph, (ids, texts) in split_by_paragraph(comments).items():
        normalized_of: dict[str, str] = {}
        doc_of: dict[str, int] = {}
        doc_index = np.empty(len(ids), dtype=np.int64)
        for position, text in enumerate(texts):
            normalized = normalized_of.get(text)
            if normalized is None:
                normalized = normalized_of[text] = normalize_comment(text)
            doc_index[position] = doc_of.setdefault(normalized, len(doc_of))
        del normalized_of
        labels = near_duplicate_labels(
            list(doc_of),
            threshold=threshold,
            num_perm=num_perm,
            weights=np.bincount(doc_index, minlength=len(doc_of)),
            similarity=similarity,
        )
        del doc_of
        groups.extend(
            _assemble_groups(
                np.asarray(ids, dtype=np.int64),
                doc_index,
                labels,
                paragraph=paragraph,
                include_singletons=include_singletons,
            )
        )
    groups.sort(key=lambda group: (-group.size, group.representative))
    return groups


def _assemble_groups(
    ids: IntArray,
    doc_index: IntArray,
    labels: IntArray,
    *,
    paragraph: str | None,
    include_singletons: bool,
) -> list[Group]:
    n_docs = len(labels)
    doc_count = np.bincount(doc_index, minlength=n_docs)
    doc_first_id = np.full(n_docs, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(doc_first_id, doc_index, ids)
    # representative document per label: most comments, then earliest id
    doc_order = np.lexsort((doc_first_id, -doc_count, labels))
    sorted_labels = labels[doc_order]
    is_first = np.ones(n_docs, dtype=bool)
    is_first[1:] = sorted_labels[1:] != sorted_labels[:-1]
    representative_of_label = np.zeros(int(labels.max()) + 1, dtype=np.int64)
    representative_of_label[sorted_labels[is_first]] = doc_first_id[doc_order[is_first]]

    comment_labels = labels[doc_index]
    order = np.lexsort((ids, comment_labels))
    sorted_ids = ids[order]
    boundaries = np.flatnonzero(np.diff(comment_labels[order])) + 1
    starts = np.concatenate(([0], boundaries)).tolist()
    groups = []
    for start, members in zip(starts, np.split(sorted_ids, boundaries), strict=True):
        if len(members) == 1 and not include_singletons:
            continue
        label = int(comment_labels[order[start]])
        groups.append(
            Group(
                representative=int(representative_of_label[label]),
                members=tuple(members.tolist()),
                paragraph=paragraph,
            )
        )
    return groups

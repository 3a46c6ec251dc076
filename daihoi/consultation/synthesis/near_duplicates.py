"""Near-duplicate grouping: MinHash over word shingles, LSH banding, verified links,
components split into stars around the most copied text."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import count

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from daihoi.consultation.synthesis.common import (
    DEFAULT_CENTRE_THRESHOLD,
    DEFAULT_NUM_PERM,
    DEFAULT_SHINGLE_SIZE,
    DEFAULT_THRESHOLD,
    Comment,
    Group,
    HashArray,
    IntArray,
    normalize_comment,
    split_by_paragraph,
)

# Pairs proposed per bucket member: its nearest predecessors in the bucket. Connectivity
# needs only one; a few more survive a failed verification. Caps work on giant buckets.
_BUCKET_WINDOW = 6
_SHINGLE_CHUNK = 1 << 15
_PAIR_CHUNK = 1 << 15


def _mix64(values: HashArray) -> HashArray:
    """splitmix64 finalizer: spreads structured integers (token ids) over 64 bits."""
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values


def _shingle_hashes(documents: Sequence[str], *, shingle_size: int) -> tuple[HashArray, IntArray]:
    """Hashes of the word shingles of every document, and where each document's run starts.

    A document shorter than `shingle_size` words has one shingle: all its words.
    """
    vocabulary: defaultdict[str, int] = defaultdict(count().__next__)
    pad = [-1] * shingle_size
    flat: list[int] = []
    lengths = np.empty(len(documents), dtype=np.int64)
    for i, document in enumerate(documents):
        ids = [vocabulary[word] for word in document.split()]
        if len(ids) < shingle_size:
            ids = (ids + pad)[:shingle_size]
        flat.extend(ids)
        lengths[i] = len(ids)
    tokens = np.asarray(flat, dtype=np.int64).astype(np.uint64)
    doc_of_token = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
    n_starts = len(tokens) - shingle_size + 1
    hashes = _mix64(tokens[:n_starts].copy())
    valid = np.ones(n_starts, dtype=bool)
    for offset in range(1, shingle_size):
        hashes = _mix64(hashes ^ tokens[offset : offset + n_starts])
        valid &= doc_of_token[offset : offset + n_starts] == doc_of_token[:n_starts]
    hashes = hashes[valid]
    counts = lengths - shingle_size + 1
    starts = np.zeros(len(documents), dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    return hashes, starts


def _minhash_signatures(
    hashes: HashArray, starts: IntArray, *, num_perm: int, seed: int
) -> npt.NDArray[np.uint32]:
    """MinHash signatures, one row per document: min over shingles of (a*x + b) >> 32."""
    rng = np.random.default_rng(seed)
    multipliers = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    offsets = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    n_docs = len(starts)
    signatures = np.empty((n_docs, num_perm), dtype=np.uint32)
    ends = np.append(starts[1:], len(hashes))
    longest = int((ends - starts).max()) if n_docs else 0
    # one buffer reused for every chunk (fresh large allocations are slow to fault in), one
    # row per permutation so that the min runs along contiguous memory
    buffer = np.empty((num_perm, max(min(_SHINGLE_CHUNK, len(hashes)), longest)), dtype=np.uint64)
    multipliers = multipliers[:, np.newaxis]
    offsets = offsets[:, np.newaxis]
    first = 0
    while first < n_docs:
        # whole documents, at most one buffer of shingles at a time
        last = int(np.searchsorted(ends, starts[first] + buffer.shape[1], side="right"))
        last = max(last, first + 1)
        chunk = hashes[starts[first] : ends[last - 1]]
        values = buffer[:, : len(chunk)]
        np.multiply(multipliers, chunk, out=values)
        values += offsets
        values >>= np.uint64(32)
        signatures[first:last] = np.minimum.reduceat(
            values, starts[first:last] - starts[first], axis=1
        ).T
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


def _linked_pairs(
    signatures: npt.NDArray[np.uint32], *, bands: int, rows: int, needed: int
) -> tuple[IntArray, IntArray]:
    """Pairs of documents that share an LSH bucket in some band and agree on at least
    `needed` MinHash values. Verified band by band, so only linked pairs are held."""
    n_docs = len(signatures)
    found: list[IntArray] = []
    for band in range(bands):
        keys = _band_keys(signatures, band=band, rows=rows)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        for distance in range(1, min(_BUCKET_WINDOW, n_docs - 1) + 1):
            same = sorted_keys[distance:] == sorted_keys[:-distance]
            if not same.any():
                break
            first, second = order[:-distance][same], order[distance:][same]
            low, high = np.minimum(first, second), np.maximum(first, second)
            keep = _agreeing(signatures, low, high) >= needed
            found.append(np.unique(low[keep] * n_docs + high[keep]))
    if not found:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    pairs = np.unique(np.concatenate(found))
    return pairs // n_docs, pairs % n_docs


def _stars(
    signatures: npt.NDArray[np.uint32],
    components: IntArray,
    *,
    needed: int,
    weights: IntArray,
) -> IntArray:
    """Split each linked component into stars: its heaviest document not yet placed (most
    copies, then first seen) becomes a centre and takes every unplaced member that agrees
    with it directly. A chain of small rewordings cannot join unrelated comments."""
    n_docs = len(components)
    labels: IntArray = np.arange(n_docs, dtype=np.int64)
    by_component = np.lexsort((np.arange(n_docs), -weights, components))
    sorted_components = components[by_component]
    bounds = np.flatnonzero(np.diff(sorted_components)) + 1
    for members in np.split(by_component, bounds):
        remaining = members
        while len(remaining) > 1:
            centre = remaining[0]
            close = _agreeing(signatures, np.full(len(remaining), centre), remaining) >= needed
            labels[remaining[close]] = centre
            remaining = remaining[~close]
    return labels


def near_duplicate_labels(
    documents: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = 1,
    weights: IntArray | None = None,
    centre_threshold: float = DEFAULT_CENTRE_THRESHOLD,
) -> IntArray:
    """Group label of each normalized, distinct document (same label, same group);
    `weights` (copies of each document) decide which documents become group centres."""
    n_docs = len(documents)
    if n_docs <= 1:
        return np.zeros(n_docs, dtype=np.int64)
    hashes, starts = _shingle_hashes(documents, shingle_size=shingle_size)
    signatures = _minhash_signatures(hashes, starts, num_perm=num_perm, seed=seed)
    del hashes, starts
    bands, rows = lsh_bands(threshold=threshold, num_perm=num_perm)
    # integer comparison avoids float rounding at the threshold
    needed = math.ceil(threshold * num_perm - 1e-9)
    low, high = _linked_pairs(signatures, bands=bands, rows=rows, needed=needed)
    graph = coo_matrix((np.ones(len(low), dtype=np.int8), (low, high)), shape=(n_docs, n_docs))
    _, components = connected_components(graph, directed=False)
    copies = np.ones(n_docs, dtype=np.int64) if weights is None else weights
    centre_needed = math.ceil(centre_threshold * num_perm - 1e-9)
    return _stars(signatures, components.astype(np.int64), needed=centre_needed, weights=copies)


def group_near_duplicates(
    comments: Iterable[Comment],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    include_singletons: bool = False,
) -> list[Group]:
    """Group comments that are exact or near duplicates of each other, per paragraph.

    `threshold` is the estimated Jaccard similarity of word `shingle_size`-shingles of the
    normalized texts above which two comments are linked. Groups come largest first, then by
    representative id. Singletons are left out unless `include_singletons`. The representative
    is the earliest comment (lowest id) of the group's most repeated normalized text.
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
            shingle_size=shingle_size,
            weights=np.bincount(doc_index, minlength=len(doc_of)),
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

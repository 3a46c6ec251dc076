"""Near-duplicate grouping that weighs what distinguishes comments.

Per paragraph: exact duplicates collapse; each distinct text becomes a set of folded words with
slips mended (`tokens`); a weighted MinHash over those sets (weights: inverse document
frequency in the paragraph) feeds LSH, which proposes candidate pairs; every candidate is then
verified on its words and their weights (`pair_similarity`); linked components are split into
stars around the most copied text. A second pass decides again what is content, from what the
first pass's variants keep and what they add or drop (`verification.content_tokens`), and
verifies the candidates and splits the stars again.

Two texts are variants of one comment when what they share outweighs what they do not, and
what each has that the other lacks is not *content*: a template word, an opener or a filler may
be on one side only or swapped, but when both sides hold a word that distinguishes comments in
this paragraph (a subject, a place, a number), they are two proposals, not one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from daihoi.consultation.synthesis.common import (
    DEFAULT_NUM_PERM,
    DEFAULT_THRESHOLD,
    Comment,
    Group,
    IntArray,
    normalize_comment,
    split_by_paragraph,
)
from daihoi.consultation.synthesis.minhash import (
    agreeing,
    band_keys,
    lsh_bands,
    signatures_of,
    token_minhashes,
)
from daihoi.consultation.synthesis.verification import Similarity, Verifier, prepared

# Pairs proposed per bucket member: its nearest predecessors in the bucket. Connectivity
# needs only one; a few more survive a failed verification. Caps work on giant buckets.
_BUCKET_WINDOW = 6
# MinHash agreement a candidate needs before its words are compared (a loose pre-filter).
_CANDIDATE_SHARE = 0.35


def _sorted_unique(values: IntArray) -> IntArray:
    """np.unique by sorting (numpy's hash-based unique is slower on these integer codes)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _linked_pairs(
    signatures: npt.NDArray[np.uint32],
    *,
    bands: int,
    rows: int,
    needed: int,
) -> IntArray:
    """Pairs (low * n_docs + high, sorted) of documents that share an LSH bucket in some band
    and agree on at least `needed` MinHash values: the candidates."""
    n_docs = len(signatures)
    seen = np.empty(0, dtype=np.int64)
    for band in range(bands):
        keys = band_keys(signatures, band=band, rows=rows)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        del keys
        found: list[IntArray] = []
        for distance in range(1, min(_BUCKET_WINDOW, n_docs - 1) + 1):
            same = sorted_keys[distance:] == sorted_keys[:-distance]
            if not same.any():
                break
            first, second = order[:-distance][same], order[distance:][same]
            found.append(np.minimum(first, second) * n_docs + np.maximum(first, second))
        if not found:
            continue
        # the pairs not yet kept in an earlier band, then their MinHash agreement (which does
        # not depend on the band: a pair kept once needs no second look)
        candidates = _sorted_unique(np.concatenate(found))
        del found
        if len(seen):
            where = np.minimum(np.searchsorted(seen, candidates), len(seen) - 1)
            candidates = candidates[seen[where] != candidates]
        candidates = candidates[
            agreeing(signatures, candidates // n_docs, candidates % n_docs) >= needed
        ]
        if len(candidates):
            # two sorted runs: the stable sort (timsort) merges them in linear time
            seen = np.sort(np.concatenate((seen, candidates)), kind="stable")
    return seen


def _star_labels(
    candidates: IntArray, verifier: Verifier, n_docs: int, copies: IntArray
) -> IntArray:
    """Link the candidates the verifier accepts (they pass `Verifier.weighs`), split the
    components into stars."""
    low, high = candidates // n_docs, candidates % n_docs
    keep = verifier.accept(low, high, weighed=True)
    low, high = low[keep], high[keep]
    graph = coo_matrix((np.ones(len(low), dtype=np.int8), (low, high)), shape=(n_docs, n_docs))
    _, components = connected_components(graph, directed=False)
    return _stars(verifier, components.astype(np.int64), weights=copies)


def _stars(verifier: Verifier, components: IntArray, *, weights: IntArray) -> IntArray:
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
    tokenized, token_weight = prepared(documents)
    table = token_minhashes(token_weight, num_perm=num_perm, seed=seed)
    signatures = signatures_of(tokenized, table)
    del table
    bands, rows = lsh_bands(threshold=rule.shared, num_perm=num_perm)
    needed = math.ceil(_CANDIDATE_SHARE * num_perm - 1e-9)
    candidates = _linked_pairs(signatures, bands=bands, rows=rows, needed=needed)
    del signatures
    copies = np.ones(n_docs, dtype=np.int64) if weights is None else weights
    # first pass: content is what few texts hold; second: what the first pass's variants keep
    verifier = Verifier(tokenized, token_weight, rule)
    candidates = candidates[verifier.weighs(candidates // n_docs, candidates % n_docs)]
    labels = _star_labels(candidates, verifier, n_docs, copies)
    members = np.flatnonzero(labels != np.arange(n_docs))
    if not len(members):
        return labels
    usage = verifier.usage(labels[members], members)
    del verifier, labels, members
    verifier = Verifier(tokenized, token_weight, rule, usage=usage)
    return _star_labels(candidates, verifier, n_docs, copies)


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

"""Comment synthesis for consultations: near-duplicate groups, topics, representatives.

Pure Python + numpy/scipy, no Django import. A comment is ``(comment_id, text)`` or
``(comment_id, text, paragraph_key)``; comments on different paragraphs are never grouped
together.

Near-duplicate grouping, in order:

1. exact duplicates collapse: comments whose normalized texts are equal form one *document*;
2. MinHash over word shingles of each distinct document, vectorized with numpy over all
   documents at once (``datasketch.MinHash`` + ``MinHashLSH``, one object per document, took
   4-6x the CPU time on 2,300 documents, before any query);
3. LSH banding proposes candidate pairs from documents that share a band bucket;
4. a candidate pair is kept when its estimated Jaccard similarity is at least ``threshold``;
5. connected components of the kept pairs are split into stars: the most copied document
   not yet placed becomes a centre and takes every member that agrees with it directly (at
   ``DEFAULT_CENTRE_THRESHOLD``). Components alone chain small rewordings of unrelated
   comments into giant groups at a million comments.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import count, pairwise

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from daihoi.core.text import fold

Comment = tuple[int, str] | tuple[int, str, str | None]
IntArray = npt.NDArray[np.int64]
HashArray = npt.NDArray[np.uint64]

DEFAULT_THRESHOLD = 0.5
# A linked component is split into stars whose members agree with the centre at least this
# much: a little below the linking threshold, so a variant a centre links to only through
# another variant still joins it.
DEFAULT_CENTRE_THRESHOLD = 0.4
DEFAULT_NUM_PERM = 128
DEFAULT_SHINGLE_SIZE = 2

_NON_WORD = re.compile(r"[\W_]+")
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
# Pairs proposed per bucket member: its nearest predecessors in the bucket. Connectivity
# needs only one; a few more survive a failed verification. Caps work on giant buckets.
_BUCKET_WINDOW = 6
_SHINGLE_CHUNK = 1 << 15
_PAIR_CHUNK = 1 << 15


@dataclass(frozen=True, slots=True)
class Group:
    """Comments that say the same thing; `members` ascending, `representative` among them."""

    representative: int
    members: tuple[int, ...]
    paragraph: str | None = None

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True, slots=True)
class Topic:
    """Comments on one paragraph about one subject, labelled by their top keywords."""

    paragraph: str | None
    keywords: tuple[str, ...]
    members: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@lru_cache(maxsize=1 << 18)
def _fold_word(word: str) -> str:
    return fold(word)


def normalize_comment(text: str) -> str:
    """NFC, fold (case and diacritics), punctuation to spaces, whitespace collapsed.

    "Tôi ĐỒNG Ý, với dự thảo!" and "toi dong y voi du thao" both give "toi dong y voi du thao".
    Folding word by word through a cache gives the same result as folding the whole text,
    an order of magnitude faster on real comments, whose vocabulary is small.
    """
    words = _NON_WORD.sub(" ", unicodedata.normalize("NFC", text)).split()
    return " ".join(map(_fold_word, words))


def _split_by_paragraph(
    comments: Iterable[Comment],
) -> dict[str | None, tuple[list[int], list[str]]]:
    partitions: dict[str | None, tuple[list[int], list[str]]] = {}
    for comment in comments:
        paragraph = comment[2] if len(comment) > 2 else None
        ids, texts = partitions.setdefault(paragraph, ([], []))
        ids.append(comment[0])
        texts.append(comment[1])
    return partitions


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
    for paragraph, (ids, texts) in _split_by_paragraph(comments).items():
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


# Folded Vietnamese function words; they carry no topic.
_STOPWORDS = frozenset(
    [
        "a",
        "ai",
        "bi",
        "boi",
        "cac",
        "cai",
        "can",
        "chi",
        "cho",
        "chu",
        "chua",
        "chung",
        "co",
        "con",
        "cu",
        "cua",
        "cung",
        "da",
        "dang",
        "day",
        "de",
        "den",
        "deu",
        "do",
        "duoc",
        "gi",
        "hay",
        "hoac",
        "hon",
        "khi",
        "khong",
        "la",
        "lai",
        "len",
        "ma",
        "moi",
        "mot",
        "nay",
        "neu",
        "nen",
        "nhieu",
        "nhu",
        "nhung",
        "noi",
        "o",
        "phai",
        "qua",
        "ra",
        "rat",
        "roi",
        "se",
        "sau",
        "tai",
        "the",
        "theo",
        "thi",
        "toi",
        "trong",
        "tu",
        "va",
        "vao",
        "van",
        "ve",
        "vi",
        "voi",
    ]
)
# Words of the consultation itself ("I propose the draft ..."); frequent in every topic.
_META_TERMS = frozenset(
    [
        "de_nghi",
        "kien_nghi",
        "du_thao",
        "van_kien",
        "bao_cao",
        "chinh_tri",
        "ban_soan",
        "soan_thao",
        "y_kien",
        "mong_muon",
        "de_xuat",
        "bo_sung",
        "tiep_thu",
        "xem_xet",
        "cam_on",
    ]
)


def _topic_terms(normalized: str) -> list[str]:
    # Vietnamese words are mostly two syllables, so word pairs are the terms
    words = normalized.split()
    terms = []
    for first, second in pairwise(words):
        if first in _STOPWORDS or second in _STOPWORDS or first.isdigit() or second.isdigit():
            continue
        bigram = f"{first}_{second}"
        if bigram not in _META_TERMS:
            terms.append(bigram)
    return terms


def _tfidf(documents: Sequence[list[str]], *, min_df: int) -> tuple[csr_matrix, list[str]]:
    """Row-normalized TF-IDF (sublinear tf) and the term of each column."""
    df = Counter(term for terms in documents for term in set(terms))
    n_docs = len(documents)
    vocabulary = sorted(t for t, c in df.items() if c >= min_df and c <= max(1, n_docs // 2))
    column = {term: i for i, term in enumerate(vocabulary)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for row, terms in enumerate(documents):
        for term, tf in Counter(t for t in terms if t in column).items():
            rows.append(row)
            cols.append(column[term])
            vals.append(1.0 + math.log(tf))
    matrix = csr_matrix((vals, (rows, cols)), shape=(n_docs, len(vocabulary)), dtype=np.float64)
    idf = np.array([math.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in vocabulary])
    matrix = csr_matrix(matrix.multiply(idf[np.newaxis, :]))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(matrix.multiply(1.0 / norms[:, np.newaxis])), vocabulary


def _spherical_kmeans(
    matrix: csr_matrix, *, k: int, seed: int, rounds: int = 20
) -> npt.NDArray[np.int64]:
    """Cluster of each row by cosine k-means, seeded k-means++ start (deterministic)."""
    rng = np.random.default_rng(seed)
    n_rows = matrix.shape[0]
    chosen = [int(np.argmax(np.asarray(matrix.sum(axis=1)).ravel()))]
    closest = np.asarray((matrix @ matrix[chosen[0]].T).todense()).ravel()
    while len(chosen) < k:
        weights = np.clip(1.0 - closest, 0.0, None)
        if weights.sum() <= 0:
            break
        pick = int(rng.choice(n_rows, p=weights / weights.sum()))
        chosen.append(pick)
        closest = np.maximum(closest, np.asarray((matrix @ matrix[pick].T).todense()).ravel())
    centroids = np.asarray(matrix[chosen].todense())
    assignment = np.full(n_rows, -1, dtype=np.int64)
    for _ in range(rounds):
        new_assignment = np.asarray(np.argmax(matrix @ centroids.T, axis=1)).ravel()
        if np.array_equal(new_assignment, assignment):
            break
        assignment = new_assignment
        for cluster in range(len(centroids)):
            rows = matrix[assignment == cluster]
            if rows.shape[0]:
                centroid = np.asarray(rows.mean(axis=0)).ravel()
                centroids[cluster] = centroid / (np.linalg.norm(centroid) or 1.0)
    return assignment


def _keywords(centroid: npt.NDArray[np.float64], vocabulary: list[str], n: int) -> tuple[str, ...]:
    """Top terms of a centroid, skipping a term that shares a word with a chosen one."""
    chosen: list[str] = []
    used: set[str] = set()
    for column in np.argsort(-centroid, kind="stable"):
        if centroid[column] <= 0 or len(chosen) == n:
            break
        words = vocabulary[column].split("_")
        if used.isdisjoint(words):
            chosen.append(" ".join(words))
            used.update(words)
    return tuple(chosen)


def cluster_topics(
    comments: Iterable[Comment], *, k: int | None = None, seed: int = 0
) -> list[Topic]:
    """Topic clusters per paragraph, each labelled with its top 3 keywords.

    TF-IDF over pairs of folded words, then cosine k-means. `k` defaults to
    sqrt(n / 2) clamped to 1..12 per paragraph. Comments with no topical word form a topic
    with no keywords. For large paragraphs pass one comment per near-duplicate group
    (its representative). Topics come per paragraph, largest first.
    """
    topics: list[Topic] = []
    for paragraph, (ids, texts) in _split_by_paragraph(comments).items():
        documents = [_topic_terms(normalize_comment(text)) for text in texts]
        matrix, vocabulary = _tfidf(documents, min_df=2 if len(documents) >= 10 else 1)
        has_terms = np.asarray(matrix.getnnz(axis=1)).ravel() > 0
        n_topical = int(has_terms.sum())
        found: list[Topic] = []
        if n_topical:
            wanted = k if k is not None else min(12, max(1, round(math.sqrt(n_topical / 2))))
            topical = matrix[has_terms]
            assignment = _spherical_kmeans(topical, k=min(wanted, n_topical), seed=seed)
            topical_ids = np.asarray(ids, dtype=np.int64)[has_terms]
            for cluster in np.unique(assignment):
                rows = assignment == cluster
                centroid = np.asarray(topical[rows].mean(axis=0)).ravel()
                found.append(
                    Topic(
                        paragraph=paragraph,
                        keywords=_keywords(centroid, vocabulary, 3),
                        members=tuple(sorted(topical_ids[rows].tolist())),
                    )
                )
        if n_topical < len(ids):
            leftover = np.asarray(ids, dtype=np.int64)[~has_terms]
            found.append(Topic(paragraph, (), tuple(sorted(leftover.tolist()))))
        found.sort(key=lambda topic: (-topic.size, topic.members[0]))
        topics.extend(found)
    return topics


def representatives(group_texts: Sequence[tuple[int, str]], n: int = 3) -> list[int]:
    """Ids of up to `n` comments that best stand for a group, most central first.

    Centrality is the cosine between a comment's word-pair counts and the group's total, so a
    text repeated by many members weighs more; ties go to the lower id. The chosen comments
    have pairwise different normalized texts.
    """
    first_id: dict[str, int] = {}
    copies: Counter[str] = Counter()
    for comment_id, text in sorted(group_texts):
        normalized = normalize_comment(text)
        first_id.setdefault(normalized, comment_id)
        copies[normalized] += 1
    texts = list(first_id)
    shingles = [Counter(pairwise(t.split())) or Counter([(t, "")]) for t in texts]
    total: Counter[object] = Counter()
    for text, shingle_counts in zip(texts, shingles, strict=True):
        for shingle, c in shingle_counts.items():
            total[shingle] += c * copies[text]
    total_norm = math.sqrt(sum(c * c for c in total.values())) or 1.0

    def centrality(i: int) -> float:
        own = shingles[i]
        dot = sum(c * total[s] for s, c in own.items())
        return dot / ((math.sqrt(sum(c * c for c in own.values())) or 1.0) * total_norm)

    ranked = sorted(range(len(texts)), key=lambda i: (-centrality(i), first_id[texts[i]]))
    return [first_id[texts[i]] for i in ranked[:n]]

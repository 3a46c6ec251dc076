"""Topic clusters per paragraph: TF-IDF over folded content words, spherical k-means, and
keywords that label each topic."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix

from daihoi.consultation.synthesis.common import (
    Comment,
    Topic,
    normalize_comment,
    split_by_paragraph,
)

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


def _keywords(
    centroid: npt.NDArray[np.float64],
    elsewhere: npt.NDArray[np.float64],
    vocabulary: list[str],
    n: int,
) -> tuple[str, ...]:
    """The terms that most set a topic apart: weight in the topic minus weight in the rest of
    the paragraph, so that template words every topic shares rank last. A term that shares a
    word with a chosen one is skipped."""
    distinct = centroid - elsewhere
    chosen: list[str] = []
    used: set[str] = set()
    for column in np.argsort(-distinct, kind="stable"):
        if distinct[column] <= 0 or len(chosen) == n:
            break
        words = vocabulary[column].split("_")
        if used.isdisjoint(words):
            chosen.append(" ".join(words))
            used.update(words)
    return tuple(chosen)


def _central(
    rows: csr_matrix, centroid: npt.NDArray[np.float64], ids: npt.NDArray[np.int64], n: int
) -> tuple[int, ...]:
    """Ids of the `n` rows closest (cosine) to the centroid; ties to the lower id."""
    closeness = np.asarray(rows @ centroid).ravel()
    order = np.lexsort((ids, -closeness))
    return tuple(int(i) for i in ids[order[:n]])


def cluster_topics(
    comments: Iterable[Comment], *, k: int | None = None, seed: int = 0
) -> list[Topic]:
    """Topic clusters per paragraph, each labelled with its 3 most distinctive terms.

    TF-IDF over pairs of folded words, then cosine k-means. `k` defaults to
    sqrt(n / 2) clamped to 1..12 per paragraph. Comments with no topical word form a topic
    with no keywords. For large paragraphs pass one comment per near-duplicate group
    (its representative). Topics come per paragraph, largest first.
    """
    topics: list[Topic] = []
    for paragraph, (ids, texts) in split_by_paragraph(comments).items():
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
            total = np.asarray(topical.sum(axis=0)).ravel()
            for cluster in np.unique(assignment):
                rows = assignment == cluster
                in_topic = topical[rows]
                centroid = np.asarray(in_topic.mean(axis=0)).ravel()
                rest = int((~rows).sum())
                elsewhere = (total - centroid * rows.sum()) / rest if rest else np.zeros_like(total)
                found.append(
                    Topic(
                        paragraph=paragraph,
                        keywords=_keywords(centroid, elsewhere, vocabulary, 3),
                        members=tuple(sorted(topical_ids[rows].tolist())),
                        central=_central(in_topic, centroid, topical_ids[rows], 3),
                    )
                )
        if n_topical < len(ids):
            leftover = np.asarray(ids, dtype=np.int64)[~has_terms]
            found.append(Topic(paragraph, (), tuple(sorted(leftover.tolist()))))
        found.sort(key=lambda topic: (-topic.size, topic.members[0]))
        topics.extend(found)
    return topics

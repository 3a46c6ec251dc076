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

One module per area: `common` (comments, groups, normalization), `tokens`, `lexicon`,
`minhash` (signatures, LSH bands), `verification` (when two texts are variants),
`near_duplicates` (linking and stars), `topics`, `representatives`, `planning` (a run's
groups and topics, ready to be written).
"""

from daihoi.consultation.synthesis.common import (
    DEFAULT_NUM_PERM,
    DEFAULT_THRESHOLD,
    Comment,
    Group,
    HashArray,
    IntArray,
    Topic,
    normalize_comment,
)
from daihoi.consultation.synthesis.minhash import lsh_bands
from daihoi.consultation.synthesis.near_duplicates import (
    group_near_duplicates,
    near_duplicate_labels,
)
from daihoi.consultation.synthesis.planning import PlannedGroup, plan_groups
from daihoi.consultation.synthesis.representatives import representatives
from daihoi.consultation.synthesis.topics import cluster_topics
from daihoi.consultation.synthesis.verification import (
    DEFAULT_SIMILARITY,
    Similarity,
    pair_similarity,
)

__all__ = [
    "DEFAULT_NUM_PERM",
    "DEFAULT_SIMILARITY",
    "DEFAULT_THRESHOLD",
    "Comment",
    "Group",
    "HashArray",
    "IntArray",
    "PlannedGroup",
    "Similarity",
    "Topic",
    "cluster_topics",
    "group_near_duplicates",
    "lsh_bands",
    "near_duplicate_labels",
    "normalize_comment",
    "pair_similarity",
    "plan_groups",
    "representatives",
]

"""Weighted MinHash signatures over folded word tokens, and LSH banding over them.

A token of weight w counts as round(w) copies; a document's signature is the least hash over
its tokens' copies, one value per permutation, computed with numpy over all documents at once.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from daihoi.consultation.synthesis.common import HashArray, IntArray
from daihoi.consultation.synthesis.tokens import TokenizedDocuments

FloatArray = npt.NDArray[np.float64]

_TOKEN_CHUNK = 1 << 16
_PAIR_CHUNK = 1 << 16
# Weighted MinHash: a token of weight w counts as round(w) copies.
_MAX_COPIES = 16


def mix64(values: HashArray) -> HashArray:
    """splitmix64 finalizer: spreads structured integers (token ids) over 64 bits."""
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values


def token_minhashes(weights: FloatArray, *, num_perm: int, seed: int) -> npt.NDArray[np.uint32]:
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
        keys = mix64(token_ids[having] * np.uint64(_MAX_COPIES) + np.uint64(copy))[:, np.newaxis]
        values = ((multipliers * keys + offsets) >> np.uint64(32)).astype(np.uint32)
        table[having] = np.minimum(table[having], values)
    return table


def signatures_of(
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


def band_keys(signatures: npt.NDArray[np.uint32], *, band: int, rows: int) -> HashArray:
    block = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
    keys = block[:, 0].copy()
    for column in range(1, rows):
        keys = mix64(keys * np.uint64(0x9E3779B97F4A7C15) + block[:, column])
    return keys


def agreeing(signatures: npt.NDArray[np.uint32], low: IntArray, high: IntArray) -> IntArray:
    """How many MinHash values each pair (low[i], high[i]) shares, in bounded chunks."""
    agree = np.empty(len(low), dtype=np.int64)
    for start in range(0, len(low), _PAIR_CHUNK):
        stop = start + _PAIR_CHUNK
        agree[start:stop] = (signatures[low[start:stop]] == signatures[high[start:stop]]).sum(
            axis=1
        )
    return agree

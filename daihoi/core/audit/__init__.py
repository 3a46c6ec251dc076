"""The one audit call: `audit.record(...)`, checkpoints of the chains, and the verifier.

Each event's hash is an HMAC (key `DAIHOI_AUDIT_KEY`, kept in the environment, never in the
database) over its own fields and the previous event's hash. Whoever can write the database
but does not hold the key can therefore not edit an event and recompute the later hashes, nor
forge one. There is one chain per unit of the tree's second level (the provinces under a
national root; under a root that is itself a province, its districts), one for the root's own
events, and the chain "" for events outside the tree, so audited writes in different
provinces do not wait for one head row.

What the key cannot show is a cut: a truncated tail, or a wholly emptied table, leave a chain
that is valid up to where it stops. `checkpoint()` therefore records the tips of every chain,
keyed, in the `AuditCheckpoint` table and as one line of the append-only anchor file the
operator points `DAIHOI_AUDIT_ANCHOR_FILE` at (outside the database, ideally on another
machine); `verify_chain()` compares the chains with every checkpoint it finds in either place.

One module per part: `chains` (which chain, the keyed hash, the linking rule), `writing`
(`record`, deferral inside an action, checkpoints) and `verifying` (`verify_chain`, `rechain`).
"""

from daihoi.core.audit.chains import (
    CHAIN_STEPLEN,
    CHAIN_STEPS,
    GENESIS,
    Appended,
    append,
    chain_of,
    checkpoint_due,
    event_digest,
)
from daihoi.core.audit.verifying import ChainProblem, rechain, verify_chain
from daihoi.core.audit.writing import (
    anchor_path,
    checkpoint,
    checkpoint_every,
    deferred,
    flush,
    record,
)

__all__ = [
    "CHAIN_STEPLEN",
    "CHAIN_STEPS",
    "GENESIS",
    "Appended",
    "ChainProblem",
    "anchor_path",
    "append",
    "chain_of",
    "checkpoint",
    "checkpoint_due",
    "checkpoint_every",
    "deferred",
    "event_digest",
    "flush",
    "rechain",
    "record",
    "verify_chain",
]

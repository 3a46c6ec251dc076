"""Writes for drafts, consultations, comments, moderation, synthesis and dispositions.

One function per use case: keyword-only, permission-checked, atomic, audited once.
`actor=SYSTEM` means the system (commands, the synthesis task). One module per area: `drafts`
(drafts, versions, opening a consultation), `comments` (comments and moderation),
`moderation` (hiding or restoring a group or a search at once, and undoing it),
`editorial` (synthesis runs and the editors' dispositions).
"""

from daihoi.consultation.actions.comments import (
    CommentInput,
    comment_hide,
    comment_restore,
    comment_submit,
    comment_submit_public,
    comments_ingest,
)
from daihoi.consultation.actions.drafts import (
    consultation_open,
    draft_create,
    draft_version_import,
)
from daihoi.consultation.actions.editorial import (
    disposition_record,
    synthesis_apply,
    synthesis_start,
)
from daihoi.consultation.actions.moderation import (
    comments_moderate_bulk,
    moderation_batch_undo,
)

__all__ = [
    "CommentInput",
    "comment_hide",
    "comment_restore",
    "comment_submit",
    "comment_submit_public",
    "comments_ingest",
    "comments_moderate_bulk",
    "consultation_open",
    "disposition_record",
    "draft_create",
    "draft_version_import",
    "moderation_batch_undo",
    "synthesis_apply",
    "synthesis_start",
]

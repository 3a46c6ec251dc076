"""Pages for drafts, commenting, moderation, synthesis and dispositions.

Views read through queries and write through actions; every view is @scoped or @public.
One module per area: `drafts` (drafts, versions, opening a consultation), `comments`
(commenting, public participation, moderation), `editorial` (synthesis, dispositions,
reports).
"""

from daihoi.consultation.views.comments import (
    comment_moderate,
    comment_post,
    consultation_detail,
    moderation,
    moderation_bulk,
    moderation_undo,
    my_comments,
    public_consultation,
)
from daihoi.consultation.views.drafts import (
    consultation_open,
    draft_create,
    draft_detail,
    index,
    version_diff,
    version_import,
)
from daihoi.consultation.views.editorial import (
    disposition_post,
    group_detail,
    paragraph_export,
    rollup,
    rollup_report,
    run_status,
    synthesis,
    synthesis_paragraph,
    synthesis_report,
    synthesis_start,
)

__all__ = [
    "comment_moderate",
    "comment_post",
    "consultation_detail",
    "consultation_open",
    "disposition_post",
    "draft_create",
    "draft_detail",
    "group_detail",
    "index",
    "moderation",
    "moderation_bulk",
    "moderation_undo",
    "my_comments",
    "paragraph_export",
    "public_consultation",
    "rollup",
    "rollup_report",
    "run_status",
    "synthesis",
    "synthesis_paragraph",
    "synthesis_report",
    "synthesis_start",
    "version_diff",
    "version_import",
]

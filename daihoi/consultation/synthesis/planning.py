"""The plan of a synthesis run: near-duplicate groups and topics, ready to be written.

`plan_groups` turns a consultation's comments into `PlannedGroup`s; `tasks.synthesize` reads
the comments, plans here and hands the plan to the `synthesis_apply` action.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from daihoi.consultation.synthesis.common import normalize_comment
from daihoi.consultation.synthesis.near_duplicates import group_near_duplicates
from daihoi.consultation.synthesis.representatives import representatives
from daihoi.consultation.synthesis.topics import cluster_topics

# The kinds of `CommentGroup.Kind`, as stored.
EXACT, NEAR, TOPIC = "exact", "near", "topic"
# members a group's representatives are chosen from
_SAMPLE = 500


@dataclass(frozen=True)
class PlannedGroup:
    """A group computed by the synthesis core, ready to be written."""

    paragraph_id: int | None
    kind: str
    members: tuple[int, ...]
    representative: int
    representatives: tuple[int, ...]
    keywords: str = ""


def plan_groups(
    comments: Sequence[tuple[int, str, int | None]],
) -> tuple[list[PlannedGroup], list[PlannedGroup]]:
    """Near-duplicate groups and topic clusters of (id, text, paragraph id) comments."""
    text_of = {comment_id: text for comment_id, text, _p in comments}
    core_groups = group_near_duplicates(
        [(cid, text, str(pid) if pid is not None else None) for cid, text, pid in comments]
    )
    groups: list[PlannedGroup] = []
    grouped: set[int] = set()
    members_of_rep: dict[int, tuple[int, ...]] = {}
    for group in core_groups:
        normalized = {normalize_comment(text_of[m]) for m in group.members}
        paragraph_id = int(group.paragraph) if group.paragraph is not None else None
        sample = [(m, text_of[m]) for m in group.members[:_SAMPLE]]
        groups.append(
            PlannedGroup(
                paragraph_id=paragraph_id,
                kind=EXACT if len(normalized) == 1 else NEAR,
                members=group.members,
                representative=group.representative,
                representatives=tuple(representatives(sample, 3)),
            )
        )
        grouped.update(group.members)
        members_of_rep[group.representative] = group.members
    # topics over one comment per near-duplicate group plus every ungrouped comment
    stand_ins = [
        (cid, text, str(pid) if pid is not None else None)
        for cid, text, pid in comments
        if cid not in grouped or cid in members_of_rep
    ]
    topics: list[PlannedGroup] = []
    by_paragraph: defaultdict[str | None, int] = defaultdict(int)
    for _cid, _text, key in stand_ins:
        by_paragraph[key] += 1
    for topic in cluster_topics(stand_ins):
        if by_paragraph[topic.paragraph] < 2:
            continue  # one comment is no topic
        members = tuple(sorted(m for rep in topic.members for m in members_of_rep.get(rep, (rep,))))
        topics.append(
            PlannedGroup(
                paragraph_id=int(topic.paragraph) if topic.paragraph is not None else None,
                kind=TOPIC,
                members=members,
                representative=topic.central[0] if topic.central else topic.members[0],
                representatives=topic.central or (topic.members[0],),
                keywords=", ".join(topic.keywords),
            )
        )
    return groups, topics

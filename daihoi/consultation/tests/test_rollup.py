"""A higher unit sees its subtree's comments on its own and higher drafts, by level and unit."""

from __future__ import annotations

from typing import Any

from daihoi import testing
from daihoi.accounts.models import Role
from daihoi.consultation import actions, queries
from daihoi.consultation.actions import CommentInput
from daihoi.consultation.tests.conftest import make_member


def test_rollup_counts_by_level_and_by_child_unit(
    client: Any, consultation: Any, province: dict[str, Any], member_g1: Any
) -> None:
    cell_member = make_member(province["c1"], "m_c1")
    other = make_member(province["c2"], "m_c2")
    for actor in (member_g1, cell_member, cell_member, other):
        actions.comment_submit(
            actor=actor, consultation=consultation, item=CommentInput(text="Ý kiến.")
        )
    d1 = queries.rollup(province["d1"])
    assert len(d1) == 1
    assert d1[0].total == 3 and d1[0].by_level == {"grassroots": 1, "cell": 2}
    assert [(u.code, n) for u, n in d1[0].by_child] == [("G1", 3)]
    whole = queries.rollup(province["province"])[0]
    assert whole.total == 4 and [(u.code, n) for u, n in whole.by_child] == [("D1", 3), ("D2", 1)]

    editor_d1 = testing.make_user(role=Role.DOCUMENT_EDITOR, unit=province["d1"])
    client.force_login(editor_d1)
    assert client.get("/consultation/u/D1/rollup").status_code == 200
    assert client.get("/consultation/u/D2/rollup").status_code == 404
    assert client.get("/consultation/u/D1/rollup.xlsx").content[:2] == b"PK"

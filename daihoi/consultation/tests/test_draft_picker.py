"""The new-draft form picks its congress by searching, among those the user edits for."""

from __future__ import annotations

from typing import Any

from django.test import Client

from daihoi import testing
from daihoi.accounts.models import Role, RoleGrant
from daihoi.congresses.models import Congress


def test_the_new_draft_form_offers_the_editors_congresses_with_level_and_window(
    client: Client, congresses: dict[str, Congress], editor: Any
) -> None:
    client.force_login(editor)
    page = client.get("/consultation/").content.decode()
    assert 'hx-get="/congresses/pick/?name=congress&amp;role=document_editor"' in page
    # 7 congresses in the editor's province: the first 10 are offered, so all of them.
    assert page.count('type="radio" name="congress"') == 7


def test_the_picker_searches_every_congress_and_keeps_to_the_editor_role(
    client: Client, congresses: dict[str, Congress], editor: Any, province: dict[str, Any]
) -> None:
    both = testing.make_user(username="both", role=Role.DOCUMENT_EDITOR, unit=province["d2"])
    RoleGrant.objects.create(
        user=both, role=Role.ORGANIZER, unit=province["d1"], valid_from="2020-01-01"
    )
    client.force_login(both)
    found = client.get(
        "/congresses/pick/", {"name": "congress", "q": "", "role": "document_editor"}
    )
    names = found.content.decode()
    assert "Huyện Kinh Môn" in names and "Thành phố Hải Dương" not in names
    anyrole = client.get("/congresses/pick/", {"name": "congress", "q": "Thành phố"})
    assert "Thành phố Hải Dương" in anyrole.content.decode()
    searched = client.get(
        "/congresses/pick/", {"name": "congress", "q": "hiep son", "role": "document_editor"}
    )
    assert "Đảng bộ xã Hiệp Sơn" in searched.content.decode()


def test_a_draft_is_created_for_the_picked_congress(
    client: Client, congresses: dict[str, Congress], editor: Any
) -> None:
    client.force_login(editor)
    response = client.post(
        "/consultation/drafts/new",
        {"congress": congresses["g2"].pk, "kind": "political_report", "title": "Báo cáo"},
    )
    assert response.status_code == 302
    assert congresses["g2"].drafts.get().title == "Báo cáo"


def test_the_audience_unit_is_picked_by_searching_units(
    client: Client, version: Any, editor: Any, province: dict[str, Any]
) -> None:
    client.force_login(editor)
    page = client.get(f"/consultation/d/{version.draft.pk}/").content.decode()
    assert 'hx-get="/pick/units/?name=audience_unit"' in page
    picks = client.get("/pick/units/", {"name": "audience_unit", "q": "kinh mon"}).content.decode()
    assert f'name="audience_unit" value="{province["d2"].code}"' in picks

"""Refusals reach API clients as field, stable code and message, as documented."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from daihoi.congresses.models import Congress


@pytest.mark.django_db
def test_the_openapi_schema_documents_the_error_shape() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["properties"]["detail"]["type"] == "array"
    item = schema["components"]["schemas"]["ErrorItem"]
    assert set(item["required"]) == {"field", "code", "message"}
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations and all("422" in op["responses"] for op in operations)


def test_workflow_refusal_codes_reach_the_api_unflattened(
    province: dict[str, Any], organizer_d1: Any
) -> None:
    from daihoi.accounts.authority import SYSTEM
    from daihoi.congresses import actions

    cycle = actions.cycle_create(
        actor=SYSTEM,
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle)
    congress = Congress.objects.get(cycle=cycle, unit=province["d1"])
    client = Client()
    client.force_login(organizer_d1)
    response = client.post(
        f"/api/v1/congresses/{congress.pk}/transitions",
        {"transition": "prepare"},
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {k: detail[0][k] for k in ("field", "code")} == {
        "field": "transition",
        "code": "plan_not_approved",
    }
    assert detail[0]["message"]

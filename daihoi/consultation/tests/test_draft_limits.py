"""A DOCX zip bomb and an oversized draft are refused before anything is unpacked."""

from __future__ import annotations

import pytest

from daihoi.consultation.drafting import DocumentError, parse
from daihoi.testing import zip_bomb


def test_docx_zip_bomb_is_refused() -> None:
    with pytest.raises(DocumentError) as exc:
        parse("docx", zip_bomb(20 * 1024 * 1024))
    assert exc.value.code == "zip_bomb"
    with pytest.raises(DocumentError) as exc:
        parse("text", "a" * (11 * 1024 * 1024))
    assert exc.value.code == "too_large"

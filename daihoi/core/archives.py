"""Zip archives from outside (DOCX, XLSX) are checked before a library unpacks them.

Pure Python, no Django import. A zip bomb (a small file that unpacks to gigabytes, or to
millions of members) is refused by its directory alone, before anything is decompressed.
"""

from __future__ import annotations

import io
import zipfile

MAX_MEMBERS = 2_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # a member unpacking to more than 200 times its compressed size


def zip_problem(
    data: bytes,
    *,
    max_members: int = MAX_MEMBERS,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_ratio: int = MAX_RATIO,
) -> str | None:
    """None when `data` is a zip archive that is safe to open, else a code: ``not_zip``,
    ``too_many_members``, ``too_large_unpacked`` or ``compression_ratio``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "not_zip"
    if len(members) > max_members:
        return "too_many_members"
    if sum(m.file_size for m in members) > max_unpacked:
        return "too_large_unpacked"
    for member in members:
        # Small members compress well and harmlessly; only a large one is judged by ratio.
        if member.file_size > 1024 * 1024 and member.file_size > max_ratio * max(
            member.compress_size, 1
        ):
            return "compression_ratio"
    return None

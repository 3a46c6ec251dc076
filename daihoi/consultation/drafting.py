"""Draft documents as plain data: parsing, stable paragraph anchors, word-level diffs.

Pure Python (python-docx for DOCX), no Django import. A document is a list of sections, each
with a title (empty for text before the first heading) and its paragraphs.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from daihoi.core.archives import zip_problem

MARKDOWN = "markdown"
PLAIN_TEXT = "text"
DOCX = "docx"
FORMATS = (MARKDOWN, PLAIN_TEXT, DOCX)

# A paragraph of the new version keeps the anchor of the most similar old paragraph when
# their similarity (difflib ratio) reaches this; below it, the paragraph is new.
ANCHOR_MATCH_RATIO = 0.6

_SPACES = re.compile(r"\s+")
_HEADING_MD = re.compile(r"^(#{1,6})\s+(.*)$")
# "I. ...", "IV. ...", "1. ...", "12. ..." on one short line
_NUMBERED_HEADING = re.compile(r"^(?:[IVXLC]+|\d{1,2})\.\s+\S")
_MAX_HEADING_CHARS = 160
# The largest draft source accepted (a DOCX of a long political report is a few MB).
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class DocumentError(ValueError):
    """The source cannot be read as a draft document; `code` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class ParsedSection:
    title: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class ParsedDocument:
    sections: list[ParsedSection]

    @property
    def paragraphs(self) -> list[str]:
        return [text for section in self.sections for text in section.paragraphs]


def _clean(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _assemble(blocks: Sequence[tuple[bool, str]]) -> ParsedDocument:
    """(is_heading, text) blocks to sections; empty sections without a title are dropped."""
    sections = [ParsedSection(title="")]
    for is_heading, raw in blocks:
        text = _clean(raw)
        if not text:
            continue
        if is_heading:
            sections.append(ParsedSection(title=text))
        else:
            sections[-1].paragraphs.append(text)
    kept = [s for s in sections if s.title or s.paragraphs]
    if not any(s.paragraphs for s in kept):
        raise DocumentError("empty", "The document has no paragraphs.")
    return ParsedDocument(sections=kept)


def parse_markdown(source: str) -> ParsedDocument:
    """`#` headings start sections; blank lines separate paragraphs; list items are paragraphs."""
    blocks: list[tuple[bool, str]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append((False, " ".join(current)))
            current.clear()

    for line in source.splitlines():
        stripped = line.strip()
        heading = _HEADING_MD.match(stripped)
        if heading:
            flush()
            blocks.append((True, heading.group(2).strip().strip("#").strip()))
        elif not stripped:
            flush()
        elif re.match(r"^([-*+]|\d+\))\s+", stripped):
            flush()
            current.append(stripped)
        else:
            current.append(stripped)
    flush()
    return _assemble(blocks)


def _looks_like_heading(line: str) -> bool:
    if len(line) > _MAX_HEADING_CHARS:
        return False
    letters = [ch for ch in line if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters) and len(letters) >= 3:
        return True
    return bool(_NUMBERED_HEADING.match(line)) and not line.rstrip().endswith((".", ";", ","))


def parse_plain_text(source: str) -> ParsedDocument:
    """Blank lines separate paragraphs; a one-line block in CAPITALS or numbered "I." / "1."
    without a closing full stop is a section heading."""
    blocks: list[tuple[bool, str]] = []
    for block in re.split(r"\n\s*\n", source.replace("\r\n", "\n")):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if _looks_like_heading(lines[0]):
            blocks.append((True, lines[0]))
            lines = lines[1:]
        if lines:
            blocks.append((False, " ".join(lines)))
    return _assemble(blocks)


def parse_docx(data: bytes) -> ParsedDocument:
    """Paragraphs styled Title or Heading start sections; every other non-empty one is text."""
    import docx  # python-docx; imported here so that the text formats need nothing extra

    if zip_problem(data) not in (None, "not_zip"):
        raise DocumentError("zip_bomb", "The DOCX file unpacks to far more than a draft holds.")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for a bad file
        raise DocumentError("not_docx", "The file is not a readable DOCX document.") from exc
    blocks: list[tuple[bool, str]] = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        is_heading = style.startswith(("Heading", "Title"))
        blocks.append((is_heading, paragraph.text))
    return _assemble(blocks)


def parse(source_format: str, data: bytes | str) -> ParsedDocument:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError("too_large", "The file is larger than a draft may be.")
    if source_format == DOCX:
        if isinstance(data, str):
            raise DocumentError("not_docx", "A DOCX document must be uploaded as a file.")
        return parse_docx(data)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError("encoding", "The file is not UTF-8 text.") from exc
    if source_format == MARKDOWN:
        return parse_markdown(data)
    if source_format == PLAIN_TEXT:
        return parse_plain_text(data)
    raise DocumentError("format", f"Unknown format {source_format!r}.")


def match_anchors(
    previous: Sequence[tuple[str, str]], texts: Sequence[str], *, new_anchor: Callable[[], str]
) -> list[str]:
    """Anchors for `texts`, reusing those of `previous` (anchor, text) paragraphs.

    Identical texts keep their anchor first; the remaining pairs are matched greedily by
    descending difflib ratio (at least ANCHOR_MATCH_RATIO), each old anchor used once.
    Unmatched texts get `new_anchor()` (a callable returning a fresh anchor).
    """
    result: list[str | None] = [None] * len(texts)
    free_old: dict[int, tuple[str, str]] = dict(enumerate(previous))
    by_text: dict[str, list[int]] = {}
    for index, (_anchor, text) in free_old.items():
        by_text.setdefault(text, []).append(index)
    for position, text in enumerate(texts):
        candidates = by_text.get(text)
        if candidates:
            index = candidates.pop(0)
            result[position] = free_old.pop(index)[0]
    scored: list[tuple[float, int, int, int]] = []
    for position, text in enumerate(texts):
        if result[position] is not None:
            continue
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(text)
        for index, (_anchor, old_text) in free_old.items():
            matcher.set_seq1(old_text)
            if matcher.real_quick_ratio() < ANCHOR_MATCH_RATIO:
                continue
            if matcher.quick_ratio() < ANCHOR_MATCH_RATIO:
                continue
            ratio = matcher.ratio()
            if ratio >= ANCHOR_MATCH_RATIO:
                # prefer near positions on equal ratios: paragraphs rarely travel far
                scored.append((-ratio, abs(index - position), index, position))
    used_old: set[int] = set()
    for _neg_ratio, _distance, index, position in sorted(scored):
        if result[position] is None and index not in used_old:
            result[position] = free_old[index][0]
            used_old.add(index)
    return [anchor if anchor is not None else new_anchor() for anchor in result]


@dataclass(frozen=True)
class Segment:
    """A run of words: kind is "same", "added" or "removed"."""

    kind: str
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level differences from `old` to `new`, as runs of same/removed/added words."""
    old_words, new_words = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", " ".join(old_words[i1:i2])))
            continue
        if tag in ("replace", "delete"):
            segments.append(Segment("removed", " ".join(old_words[i1:i2])))
        if tag in ("replace", "insert"):
            segments.append(Segment("added", " ".join(new_words[j1:j2])))
    return segments


@dataclass(frozen=True)
class DiffRow:
    """One anchor's change between two versions: same, changed, added or removed."""

    anchor: str
    status: str
    old_number: int | None
    new_number: int | None
    segments: tuple[Segment, ...]


def diff_versions(
    old: Sequence[tuple[str, int, str]], new: Sequence[tuple[str, int, str]]
) -> list[DiffRow]:
    """Rows per anchor from (anchor, number, text) lists, in the new version's order,
    with removed paragraphs placed after their old predecessor."""
    old_by_anchor = {anchor: (number, text) for anchor, number, text in old}
    new_anchors = {anchor for anchor, _number, _text in new}
    rows: list[DiffRow] = []
    removed_after: dict[str | None, list[DiffRow]] = {}
    previous: str | None = None
    for anchor, number, text in old:
        if anchor not in new_anchors:
            row = DiffRow(anchor, "removed", number, None, (Segment("removed", text),))
            removed_after.setdefault(previous, []).append(row)
        else:
            previous = anchor
    rows.extend(removed_after.get(None, []))
    for anchor, number, text in new:
        if anchor in old_by_anchor:
            old_number, old_text = old_by_anchor[anchor]
            if old_text == text:
                rows.append(DiffRow(anchor, "same", old_number, number, (Segment("same", text),)))
            else:
                segments = tuple(word_diff(old_text, text))
                rows.append(DiffRow(anchor, "changed", old_number, number, segments))
        else:
            rows.append(DiffRow(anchor, "added", None, number, (Segment("added", text),)))
        rows.extend(removed_after.get(anchor, []))
    return rows

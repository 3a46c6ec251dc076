"""Drafts (versioned, split into anchored paragraphs), consultations, comments and synthesis."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from daihoi.congresses.models import Congress
from daihoi.core import clock
from daihoi.organizations.models import Unit


class Draft(models.Model):
    """A document owned by a unit's congress."""

    class Kind(models.TextChoices):
        POLITICAL_REPORT = "political_report", _("political report")
        REVIEW_REPORT = "review_report", _("committee's review report")
        ACTION_PROGRAM = "action_program", _("action program")
        STATUTE_AMENDMENTS = "statute_amendments", _("amendments to the statutes")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("congress")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Anchors are numbered per draft, never reused: p1, p2, ... and s1, s2, ...
    last_paragraph_anchor = models.PositiveIntegerField(default=0)
    last_section_anchor = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return self.title


class DraftVersion(models.Model):
    class Format(models.TextChoices):
        MARKDOWN = "markdown", _("Markdown")
        TEXT = "text", _("plain text")
        DOCX = "docx", _("DOCX")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    source_format = models.CharField(_("source format"), max_length=10, choices=Format.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="one_version_number_per_draft")
        ]

    def __str__(self) -> str:
        return f"{self.draft} v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="sections")
    anchor = models.CharField(max_length=20)
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=500, blank=True)

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "anchor"], name="one_section_per_anchor")
        ]

    def __str__(self) -> str:
        return self.title or self.anchor


class Paragraph(models.Model):
    """A paragraph of one version. `anchor` is stable across the draft's versions."""

    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="paragraphs")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="paragraphs"
    )
    anchor = models.CharField(max_length=20)
    number = models.PositiveIntegerField(_("paragraph"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "anchor"], name="one_paragraph_per_anchor"),
            models.UniqueConstraint(fields=["version", "number"], name="one_paragraph_per_number"),
        ]

    def __str__(self) -> str:
        return f"§{self.number}"


class Consultation(models.Model):
    """A window in which an audience comments on one version of a draft."""

    class Audience(models.TextChoices):
        SUBTREE = "subtree", _("members of the unit's subtree")
        LOWER_DELEGATES = "lower_delegates", _("delegates of the lower congresses")
        PUBLIC = "public", _("the public")

    draft_version = models.ForeignKey(
        DraftVersion, on_delete=models.PROTECT, related_name="consultations"
    )
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    audience_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("audience unit")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.draft_version} ({self.get_audience_display()})"

    def is_open(self, at: object = None) -> bool:
        now = at or clock.now()
        return bool(self.opens_at <= now < self.closes_at)  # type: ignore[operator]


class CommentGroup(models.Model):
    """Comments on one paragraph that say the same thing (exact/near) or share a topic."""

    class Kind(models.TextChoices):
        EXACT = "exact", _("exact duplicates")
        NEAR = "near", _("near duplicates")
        TOPIC = "topic", _("topic")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="groups")
    run = models.ForeignKey("SynthesisRun", on_delete=models.CASCADE, related_name="groups")
    paragraph = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.CASCADE, related_name="groups"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    representative = models.ForeignKey(
        "Comment", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    size = models.PositiveIntegerField(_("size"))
    # up to three comment ids that best stand for the group, most central first
    representatives = models.JSONField(default=list)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("comment group")
        verbose_name_plural = _("comment groups")
        indexes = [models.Index(fields=["consultation", "paragraph", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.size})"


class Comment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        AMENDMENT = "amendment", _("proposed amendment")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        MEETING = "meeting", _("from a meeting's minutes")
        LETTER = "letter", _("letter")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments"
    )
    paragraph = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(_("comment"))
    proposed_text = models.TextField(_("proposed text"), blank=True)
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE
    )
    meeting_ref = models.CharField(_("meeting"), max_length=300, blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    # The unit the comment speaks for (the commenter's, or the lower congress's) and its level,
    # copied so that roll-ups are one aggregate per level.
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=32, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_comments",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public_name = models.CharField(_("name"), max_length=120, blank=True)
    public_contact = models.CharField(_("contact"), max_length=200, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    # the folded words of the text (normalize_comment): the search on SQLite; PostgreSQL
    # searches the text itself through unaccent (migration 0003)
    search_text = models.TextField(blank=True, editable=False)
    # the bulk moderation that last hid or restored the comment, so that it can be undone
    moderation = models.ForeignKey(
        "ModerationBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    group = models.ForeignKey(
        CommentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    topic = models.ForeignKey(
        CommentGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topic_members",
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["consultation", "paragraph"]),
            # keyset pages: newest first within a consultation
            models.Index(fields=["consultation", "-id"], name="comment_keyset"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ModerationBatch(models.Model):
    """One bulk moderation: every comment of a group or of a search hidden (or restored) with
    one reason. Undoing it flips back the comments it changed that nobody changed since."""

    class Verb(models.TextChoices):
        HIDE = "hide", _("hide")
        RESTORE = "restore", _("restore")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="moderation_batches"
    )
    verb = models.CharField(_("action"), max_length=8, choices=Verb.choices)
    reason = models.CharField(_("reason"), max_length=300)
    query = models.CharField(_("search"), max_length=200, blank=True)
    group = models.ForeignKey(
        CommentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    count = models.PositiveIntegerField(_("comments"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bulk moderation")
        verbose_name_plural = _("bulk moderations")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.verb} #{self.pk} ({self.count})"


class SynthesisRun(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", pgettext_lazy("synthesis run", "done")
        FAILED = "failed", _("failed")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="synthesis_runs"
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    error = models.TextField(blank=True)
    comment_count = models.PositiveIntegerField(default=0)
    group_count = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("synthesis run")
        verbose_name_plural = _("synthesis runs")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"synthesis #{self.pk} ({self.state})"


class Disposition(models.Model):
    """What the editors did with a group or a single comment."""

    class Status(models.TextChoices):
        INCORPORATED = "incorporated", _("incorporated")
        PARTLY = "partly", _("partly incorporated")
        NOT_TAKEN = "not_taken", _("not taken")
        OUT_OF_SCOPE = "out_of_scope", _("out of scope")

    group = models.OneToOneField(
        CommentGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="disposition"
    )
    comment = models.OneToOneField(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="disposition"
    )
    status = models.CharField(_("disposition"), max_length=14, choices=Status.choices)
    version_number = models.PositiveIntegerField(_("into version"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(comment__isnull=True))
                | (Q(group__isnull=True) & Q(comment__isnull=False)),
                name="disposition_of_group_or_comment",
            )
        ]

    def __str__(self) -> str:
        return self.status

"""A cycle (a term pinned to a rulebook) and one congress per unit in it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.organizations.models import Unit


class Cycle(models.Model):
    name = models.CharField(_("name"), max_length=120)
    term_start = models.PositiveSmallIntegerField(_("term starts"))
    term_end = models.PositiveSmallIntegerField(_("term ends"))
    rulebook_id = models.CharField(_("rulebook"), max_length=60)
    root = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("root unit")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return self.name


class Congress(models.Model):
    """The congress of one unit in one cycle. `state` is a code of the lifecycle data."""

    class Bodies(models.TextChoices):
        ELECTED = "elected", _("elected")
        APPOINTED = "appointed", _("appointed")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="congresses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="congresses")
    congress_type = models.CharField(_("type"), max_length=40)
    contents = models.JSONField(_("contents"), default=list)
    bodies = models.CharField(
        _("bodies"), max_length=12, choices=Bodies.choices, default=Bodies.ELECTED
    )
    earliest = models.DateField(_("earliest date"), null=True, blank=True)
    latest = models.DateField(_("latest date"), null=True, blank=True)
    max_duration_days = models.DecimalField(
        _("maximum duration (days)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    pilot = models.BooleanField(_("pilot"), default=False)
    state = models.CharField(_("state"), max_length=30, default="planned", db_index=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    # Planned with the rulebook's type for merged or newly formed units.
    merged = models.BooleanField(_("merged or newly formed unit"), default=False)
    # A unit formed mid-cycle: its window follows the rulebook's rule for units formed then.
    formed_on = models.DateField(_("unit formed on"), null=True, blank=True)
    # The latest date granted by an approved postponement.
    extended_latest = models.DateField(_("postponed until"), null=True, blank=True)
    convene_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved to convene by"),
    )
    convene_approved_on = models.DateField(_("approved to convene on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit"], name="one_congress_per_unit_and_cycle"
            )
        ]
        indexes = [models.Index(fields=["cycle", "state"])]

    def __str__(self) -> str:
        return f"{self.unit.name} ({self.cycle})"

    @property
    def effective_latest(self) -> datetime.date | None:
        return self.extended_latest or self.latest


class CongressEvent(models.Model):
    """One step of a congress's lifecycle: the history shown on its page."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("transition"), max_length=30)
    from_state = models.CharField(_("from"), max_length=30)
    to_state = models.CharField(_("to"), max_length=30)
    on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("congress event")
        verbose_name_plural = _("congress events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.congress_id}: {self.from_state} → {self.to_state}"


class CascadeExemption(models.Model):
    """The higher level lets a congress convene before all its children's have concluded."""

    congress = models.OneToOneField(Congress, on_delete=models.CASCADE, related_name="exemption")
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cascade exemption")
        verbose_name_plural = _("cascade exemptions")

    def __str__(self) -> str:
        return f"{self.congress_id}: {self.reason[:40]}"


class PlanApproval(models.Model):
    """A subtree's plan: prepared by one organizer, approved by another of the higher level."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="plan_approvals")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The plan as approved (`queries.approval.plan_fingerprint`); a changed plan is approved again.
    fingerprint = models.CharField(_("approved plan"), max_length=16, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)

    class Meta:
        verbose_name = _("plan approval")
        verbose_name_plural = _("plan approvals")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="one_plan_per_subtree")
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}@{self.unit_id}"


ATTACHMENT_EXTENSIONS = ["pdf", "docx", "doc", "odt", "xlsx", "txt"]


class Directive(models.Model):
    """A directive, guidance or plan a unit publishes to its subtree."""

    class Kind(models.TextChoices):
        DIRECTIVE = "directive", _("directive")
        GUIDANCE = "guidance", _("guidance")
        PLAN = "plan", _("plan")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="directives")
    cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="directives"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    issued_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    attachment = models.FileField(
        _("attached file"),
        upload_to="directives/%Y/",
        blank=True,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="one_directive_number_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Acknowledgement(models.Model):
    """A unit of the subtree has received and taken note of a directive."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="one_ack_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.directive_id}@{self.unit_id}"


class StudySession(models.Model):
    """A unit studies a directive with its members; attendance is recorded per person."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="sessions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    attendees = models.ManyToManyField(
        "organizations.Person", related_name="study_sessions", blank=True
    )

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.directive_id}@{self.unit_id} {self.held_on}"

"""Personnel preparation: the planning pool, discipline records, the personnel plan of a
congress per body, its candidates, the introduction steps, dossiers and their view log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.congresses.models import Congress, Cycle
from daihoi.organizations.models import Person, Unit


class Body(models.TextChoices):
    EXECUTIVE = "executive", _("executive committee")
    STANDING = "standing", _("standing committee")
    SECRETARY = "secretary", _("secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
    INSPECTION = "inspection", _("inspection committee")


class PoolEntry(models.Model):
    """A person in the planning pool of a unit for a body and term."""

    class Cause(models.TextChoices):
        DISCIPLINE = "discipline", _("disciplined")
        POLITICAL_STANDARDS = "political_standards", _("does not meet political standards")
        OTHER = "other", _("other")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="pool_entries")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="pool_entries")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pool_entries")
    body = models.CharField(_("planned for"), max_length=20, choices=Body.choices)
    entered_on = models.DateField(_("entered on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_cause = models.CharField(
        _("cause of removal"), max_length=24, choices=Cause.choices, blank=True
    )
    removal_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pool entry")
        verbose_name_plural = _("pool entries")
        ordering = ["unit_id", "body", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "cycle", "person", "body"], name="pool_entry_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.body}@{self.unit_id}"


class Discipline(models.Model):
    """A discipline decision on a member (reprimand and above)."""

    class Level(models.TextChoices):
        REPRIMAND = "reprimand", _("reprimand")
        WARNING = "warning", _("warning")
        DISMISSAL = "dismissal", _("dismissal from post")
        EXPULSION = "expulsion", _("expulsion")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disciplines")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    decided_on = models.DateField(_("decided on"))
    authority = models.CharField(_("deciding authority"), max_length=200)
    number = models.CharField(_("decision number"), max_length=60)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self) -> str:
        return f"{self.person_id} {self.level} {self.decided_on}"


class StandardsFinding(models.Model):
    """A competent committee's conclusion that a member does not meet political standards
    (Regulation 58-QĐ/TW); recording one removes the person from every planning pool."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="standards_findings")
    decided_on = models.DateField(_("decided on"))
    authority = models.CharField(_("deciding authority"), max_length=200)
    number = models.CharField(_("conclusion number"), max_length=60)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("finding on political standards")
        verbose_name_plural = _("findings on political standards")

    def __str__(self) -> str:
        return f"{self.person_id} {self.number} {self.decided_on}"


class Plan(models.Model):
    """The personnel plan of one congress for one body."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("drafting")
        VETTING = "vetting", _("under vetting")
        APPROVED = "approved", _("approved by the higher level")

    class Procedure(models.TextChoices):
        ELECTION = "election", _("five-step introduction")
        APPOINTMENT = "appointment", _("appointment by the higher level")

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="personnel_plans")
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))
    procedure = models.CharField(_("procedure"), max_length=12, choices=Procedure.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFTING
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Four eyes: whoever prepared or last changed the list may not approve it.
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personnel plan")
        verbose_name_plural = _("personnel plans")
        constraints = [
            models.UniqueConstraint(fields=["congress", "body"], name="one_plan_per_body")
        ]

    def __str__(self) -> str:
        return f"{self.body}@{self.congress_id}"


class PlanCandidate(models.Model):
    class Cause(models.TextChoices):
        WITHDRAWN = "withdrawn", _("withdrawn")
        FAILED_STEP = "failed_step", _("failed an introduction step")
        HARD_STANDARD = "hard_standard", _("fails a hard standard")
        COMPLAINT = "complaint", _("complaint or denunciation")
        OTHER = "other", _("other")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="plan_candidacies")
    reelection = models.BooleanField(_("re-election"))
    science_technology = models.BooleanField(_("science and technology cadre"), default=False)
    pool_entry = models.ForeignKey(
        PoolEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removal_cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices, blank=True)
    removal_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("plan candidate")
        verbose_name_plural = _("plan candidates")
        ordering = ["plan_id", "-reelection", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], name="plan_candidate_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.plan_id}"

    @property
    def active(self) -> bool:
        return self.removed_at is None


class StepResult(models.Model):
    """One candidate's result at one step of the introduction procedure."""

    candidate = models.ForeignKey(PlanCandidate, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(_("step"))
    summoned = models.PositiveIntegerField(_("summoned"))
    present = models.PositiveIntegerField(_("present"))
    votes = models.PositiveIntegerField(_("votes in favour"))
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["candidate_id", "step"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "step"], name="one_result_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} step {self.step}: {self.votes}/{self.summoned}"


class DossierItem(models.Model):
    """One document of a candidate's dossier, or a lead that can never be cited."""

    class Provenance(models.TextChoices):
        AUTHORITY = "authority", _("issued by a competent authority")
        SOCIAL_NETWORK = "social_network", _("social-network post")
        INTERNET = "internet", _("unofficial internet content")
        ANONYMOUS = "anonymous", _("anonymous or unsigned letter")
        HEARSAY = "hearsay", _("hearsay")

    candidate = models.ForeignKey(PlanCandidate, on_delete=models.CASCADE, related_name="dossier")
    kind = models.CharField(_("item"), max_length=40, blank=True)  # rulebook code; blank: a lead
    provenance = models.CharField(_("provenance"), max_length=16, choices=Provenance.choices)
    summary = models.CharField(_("what it is"), max_length=300)
    authority = models.CharField(_("issuing authority"), max_length=200, blank=True)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="dossiers/%Y/", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_against = models.CharField(_("verified against"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dossier item")
        verbose_name_plural = _("dossier items")
        ordering = ["candidate_id", "kind", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.kind or self.provenance} for {self.candidate_id}"

    @property
    def is_lead(self) -> bool:
        return self.provenance != self.Provenance.AUTHORITY

    @property
    def citable(self) -> bool:
        return not self.is_lead and self.verified_at is not None


class VettingConclusion(models.Model):
    candidate = models.ForeignKey(
        PlanCandidate, on_delete=models.CASCADE, related_name="conclusions"
    )
    text = models.TextField(_("conclusion"))
    cited = models.ManyToManyField(DossierItem, related_name="cited_by", verbose_name=_("cites"))
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    concluded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vetting conclusion")
        verbose_name_plural = _("vetting conclusions")

    def __str__(self) -> str:
        return f"conclusion on {self.candidate_id}"


class DossierView(models.Model):
    """Who opened a dossier, and when."""

    candidate = models.ForeignKey(PlanCandidate, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        return f"{self.viewer_id} viewed {self.candidate_id}"

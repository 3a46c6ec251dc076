"""Complaints, denunciations and feedback: the case as received, its admissibility decision,
its handling steps, the conclusion under four eyes, and the reports to the higher level."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from daihoi.conduct.models import Delegate
from daihoi.congresses.models import Congress
from daihoi.organizations.models import Person, Unit
from daihoi.personnel.models import PlanCandidate


class Case(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("complaint")
        DENUNCIATION = "denunciation", _("denunciation")
        FEEDBACK = "feedback", _("feedback")

    class Channel(models.TextChoices):
        ACCOUNT = "account", _("member's account")
        LETTER = "letter", _("letter")
        VISIT = "visit", _("visit in person")
        PUBLIC_FORM = "public_form", _("public form")

    class State(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("case state", "received")
        NOT_HANDLED = "not_handled", _("not handled")
        ACCEPTED = "accepted", _("accepted")
        VERIFYING = "verifying", _("under verification")
        CONCLUDING = "concluding", _("conclusion awaiting approval")
        CONCLUDED = "concluded", pgettext_lazy("case state", "concluded")
        HANDED_OVER = "handed_over", _("passed to the new committee")
        # Feedback only.
        CONSIDERED = "considered", _("considered")

    class Topic(models.TextChoices):
        PERSONNEL = "personnel", _("personnel")
        DOCUMENTS = "documents", _("documents")
        ORGANIZATION = "organization", _("organization")
        OTHER = "other", pgettext_lazy("feedback topic", "other")

    class Outcome(models.TextChoices):
        FOUNDED = "founded", _("founded")
        PARTLY_FOUNDED = "partly_founded", _("partly founded")
        UNFOUNDED = "unfounded", _("unfounded")
        UPHELD = "upheld", _("upheld")
        REJECTED = "rejected", _("rejected")

    OPEN_STATES = ("received", "accepted", "verifying", "concluding")

    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    congress = models.ForeignKey(
        Congress, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="cases_about"
    )
    candidate = models.ForeignKey(
        PlanCandidate, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    delegate = models.ForeignKey(
        Delegate, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    topic = models.CharField(
        pgettext_lazy("case", "topic"), max_length=14, choices=Topic.choices, blank=True
    )
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    # The sender: shown only to the inspectors handling the case (queries.may_see_sender).
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_sent",
    )
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    sender_address = models.CharField(_("sender's address"), max_length=300, blank=True)
    sender_contact = models.CharField(_("sender's contact"), max_length=200, blank=True)
    signers = models.PositiveSmallIntegerField(_("signed by"), default=1)
    received_on = models.DateField(_("received on"))
    postmark_on = models.DateField(_("postmark date"), null=True, blank=True)
    dated_on = models.DateField(_("counted from"))  # postmark, else receipt
    inside_cutoff = models.BooleanField(_("inside the pre-congress cut-off"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Admissibility.
    ground = models.CharField(_("ground"), max_length=32, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    centrally_managed = models.BooleanField(_("about a centrally managed cadre"), default=False)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The conclusion: prepared by one inspector, approved by another (four eyes).
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    # The higher level let the plan be approved although this case is open.
    proceed_reason = models.CharField(_("reason to proceed"), max_length=500, blank=True)
    proceed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Feedback: the organizers' reply, which may be published.
    reply = models.TextField(_("reply"), blank=True)
    reply_published = models.BooleanField(_("reply published"), default=False)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["kind", "state"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def ground_label(self) -> str:
        return str(GROUNDS.get(self.ground, self.ground))

    @property
    def anonymous(self) -> bool:
        return self.sender_user_id is None and not self.sender_name


# The not-handled grounds of the rulebook (`complaints.not_handled_grounds`), by name.
GROUNDS = {
    "anonymous": _("anonymous"),
    "pseudonymous": _("under a false name"),
    "no_address": _("without an address"),
    "repeat_without_new_evidence": _("a repeat of one already resolved, without new evidence"),
    "not_specific": _("without specific content"),
    "not_personally_signed": _("not personally signed"),
    "co_signed": _("signed by two or more people"),
    "no_legal_capacity": _("from a person without legal capacity"),
}


class CaseStep(models.Model):
    """One step of handling: verification, hearing the person concerned, a document."""

    class Kind(models.TextChoices):
        VERIFICATION = "verification", _("verification")
        HEARING = "hearing", _("hearing of the person concerned")
        CONCLUSION = "conclusion", _("conclusion")
        NOTE = "note", _("note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=14, choices=Kind.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="cases/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case_id", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.case_id}"


class CalendarDay(models.Model):
    """An edit of the shipped working-day calendar (`cases/holidays.yaml`): a day off the
    Government announced, or a Saturday worked in exchange."""

    day = models.DateField(_("day"), unique=True)
    working = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'working' if self.working else 'off'}"


class OpeningReport(models.Model):
    """The cases about a congress's candidates not concluded when it convened, reported to
    the higher level."""

    congress = models.OneToOneField(
        Congress, on_delete=models.PROTECT, related_name="cases_opening_report"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    cases = models.ManyToManyField(Case, related_name="opening_reports")

    class Meta:
        verbose_name = _("report on open cases")
        verbose_name_plural = _("reports on open cases")

    def __str__(self) -> str:
        return f"open cases at {self.congress_id}"

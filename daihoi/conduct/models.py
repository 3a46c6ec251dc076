"""The congress day: who is summoned (the roster), who is present, and the boards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from daihoi.congresses.models import Congress
from daihoi.organizations.models import Person


class Delegate(models.Model):
    """One line of a congress's roster."""

    class Kind(models.TextChoices):
        EX_OFFICIO = "ex_officio", _("ex officio")
        ELECTED = "elected", _("elected by a lower congress")
        ALTERNATE = "alternate", _("alternate")
        APPOINTED = "appointed", _("appointed")
        MEMBER = "member", _("member")  # congresses of all members (cells, small units)

    class Status(models.TextChoices):
        SUMMONED = "summoned", _("summoned")
        NOT_SUMMONED = "not_summoned", _("not summoned")
        REPLACED = "replaced", _("replaced by an alternate")
        STANDBY = "standby", _("alternate on standby")
        ABSENT = "absent", _("absent, no alternate")

    class Reason(models.TextChoices):
        """Why a line is not summoned or absent; person statuses first (rulebook codes)."""

        SUSPENDED = "suspended", _("suspended")
        PROSECUTED = "prosecuted", _("prosecuted")
        RETIRED = "retired", _("retired")
        DECEASED = "deceased", _("deceased")
        TRANSFERRED_OUT = "transferred_out", _("transferred out")
        ABSENT = "absent", _("absent")

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="delegates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="delegations")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.SUMMONED
    )
    elected_by = models.ForeignKey(
        Congress,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegates_sent",
        verbose_name=_("elected by"),
    )
    alternate_rank = models.PositiveSmallIntegerField(_("alternate rank"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    badge_code = models.CharField(_("badge code"), max_length=24, unique=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    # Why an organizer added this line by hand (empty for lines that came from the rules).
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "person"], name="one_roster_line_per_person"
            )
        ]
        indexes = [models.Index(fields=["congress", "status"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.congress_id}"


class BoardSeat(models.Model):
    """A user's seat on one congress's presidium, credentials board or counting board."""

    class Board(models.TextChoices):
        PRESIDIUM = "presidium", _("presidium")
        CREDENTIALS = "credentials", _("credentials board")
        COUNTING = "counting", _("counting board")

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="board_seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_seats"
    )
    board = models.CharField(_("board"), max_length=12, choices=Board.choices)

    class Meta:
        verbose_name = _("board seat")
        verbose_name_plural = _("board seats")
        constraints = [
            models.UniqueConstraint(fields=["congress", "user", "board"], name="one_seat_per_board")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.board}@{self.congress_id}"


class AgendaItem(models.Model):
    """One point of a congress's agenda, in `position` order."""

    class Kind(models.TextChoices):
        PROCEDURE = "procedure", _("procedure")
        REPORT = "report", _("report")
        DISCUSSION = "discussion", _("discussion")
        ELECTION = "election", _("election")
        RESOLUTION = "resolution", _("resolution")

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    speaking_minutes = models.PositiveSmallIntegerField(_("speaking time (minutes)"), default=5)
    # The item the hall is on is the one opened last.
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["congress", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class SpeakerRequest(models.Model):
    """A delegate's request to speak on an agenda item; the presidium orders the waiting list."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        SPEAKING = "speaking", _("speaking")
        DONE = "done", pgettext_lazy("speaker", "done")
        WITHDRAWN = "withdrawn", _("withdrawn")

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="speaker_requests"
    )
    delegate = models.ForeignKey(
        Delegate, on_delete=models.CASCADE, related_name="speaker_requests"
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    position = models.PositiveIntegerField(_("position"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    started_at = models.DateTimeField(_("given the floor at"), null=True, blank=True)

    class Meta:
        verbose_name = _("speaker request")
        verbose_name_plural = _("speaker requests")
        indexes = [models.Index(fields=["agenda_item", "status", "position"])]

    def __str__(self) -> str:
        return f"{self.delegate_id} on {self.agenda_item_id} ({self.status})"


class DelegateLogin(models.Model):
    """A delegate's account made for one congress, and its one-time login code.

    Only the code's SHA-256 is stored; the plain code exists on the printed letter alone.
    Printing the letters again issues new codes and voids the old ones. `created_user` marks
    accounts made for this congress: they are deactivated when it concludes.
    """

    delegate = models.OneToOneField(Delegate, on_delete=models.CASCADE, related_name="login")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegate_logins"
    )
    created_user = models.BooleanField(default=False)
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegate login")
        verbose_name_plural = _("delegate logins")

    def __str__(self) -> str:
        return f"login of {self.delegate_id}"

"""The congress day: who is summoned (the roster), who is present, and the boards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "person"], name="one_roster_line_per_person"
            )
        ]

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

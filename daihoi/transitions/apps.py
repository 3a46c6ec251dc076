from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitionsConfig(AppConfig):
    name = "daihoi.transitions"
    label = "transitions"
    verbose_name = _("Transitions")

    def ready(self) -> None:
        from daihoi.core import hooks
        from daihoi.transitions.actions import (
            cases_open_after_reorganization,
            cases_open_not_reelected,
        )

        hooks.on_committee_seated(cases_open_not_reelected)
        hooks.on_reorganization(cases_open_after_reorganization)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "daihoi.conduct"
    label = "conduct"
    verbose_name = _("Congress day")

    def ready(self) -> None:
        from daihoi.conduct.actions.accounts import accounts_end_on_conclusion
        from daihoi.core import hooks

        hooks.on_congress_transition(accounts_end_on_conclusion)

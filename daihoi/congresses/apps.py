from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressesConfig(AppConfig):
    name = "daihoi.congresses"
    label = "congresses"
    verbose_name = _("Congresses")

    def ready(self) -> None:
        from daihoi.congresses.actions import replan_after_reorganization
        from daihoi.core import hooks

        hooks.on_reorganization(replan_after_reorganization)

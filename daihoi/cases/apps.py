from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "daihoi.cases"
    label = "cases"
    verbose_name = _("Complaints, denunciations and feedback")

    def ready(self) -> None:
        from daihoi.cases import effects
        from daihoi.core import hooks

        hooks.on_plan_approval(effects.plan_flags)
        hooks.on_congress_transition(effects.report_on_convening)
        hooks.on_candidate_note(effects.candidate_note)
        hooks.on_congress_line(effects.congress_line)
        hooks.on_digest(effects.digest_section)

"""Rules in plain language, in the reader's language: a label for every kind of rule and its
value written out (dates, contents, thresholds, codes by their names).

`label(rule, book)` and `value_text(rule, book)` never answer a bare internal key: a rule
pattern without a label is a test failure (`tests/test_rulebook_browser.py`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import get_language, gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from daihoi.rulebooks import outline
from daihoi.rulebooks.schema import (
    BodyRequirement,
    CongressContent,
    Duration,
    FormedUnitWindow,
    IntroductionStep,
    Names,
    PercentRange,
    RoadmapSpec,
    Rulebook,
    Share,
    SmallCommitteeSurplus,
    StructureTarget,
    Threshold,
    WorkingTimeRule,
)

SECTIONS = {
    "congress_types": _("Congress types and contents"),
    "schedule": _("Schedule: when each level holds its congress"),
    "age": _("Age and working time"),
    "standards": _("Standards for committee members"),
    "structure": _("Structure targets for committees"),
    "election": _("Election rules"),
    "delegates": _("Delegates and their allocation"),
    "complaints": _("Complaints and denunciations"),
    "personnel": _("Personnel preparation"),
    "transitions": _("Cadres not re-elected: policies"),
    "emulation": _("Emulation movements"),
}

# One label per rule pattern; %(level)s, %(kind)s and %(item)s are filled in by name.
LABELS: dict[str, Any] = {
    "congress_types[*].contents": _("%(item)s: contents of the congress"),
    "congress_types[*].bodies": _("%(item)s: how its bodies are formed"),
    "congress_types[*].may_add_contents": _("%(item)s: contents the higher level may add"),
    "type_assignment.default": _("Congress type of a unit"),
    "type_assignment.merged": _("Congress type of a merged or newly formed unit"),
    "type_assignment.by_level.*": _("Congress type at level %(level)s"),
    "schedule.*.earliest": _("%(level)s: congresses from"),
    "schedule.*.latest": _("%(level)s: congresses until"),
    "schedule.*.max_duration_days": _("%(level)s: longest duration of a congress"),
    "schedule.*.pilots_first": _("%(level)s: pilot congresses first"),
    "schedule.*.age_reference_date": _("%(level)s: ages counted at"),
    "schedule.*.age_reference_by_unit_kind.*": _("%(level)s, %(kind)s: ages counted at"),
    "schedule.*.formed_mid_cycle[*]": _("%(level)s: a unit formed mid-cycle"),
    "age.first_time_min_months_left": _(
        "Working time left before retirement, standing for the first time"
    ),
    "age.reelection_min_months_left": _("Working time left before retirement, re-election"),
    "retirement.male": _("Retirement age, men"),
    "retirement.female": _("Retirement age, women"),
    "standards[*]": _("Standard"),
    "structure[*]": _("Structure target"),
    "election.secret_ballot_bodies": _("Elected by secret ballot"),
    "election.show_of_hands_bodies": _("Elected by show of hands"),
    "election.slate_surplus_percent": _("Candidates above the seats on the slate"),
    "election.max_surplus_percent": _("Most candidates above the seats"),
    "election.small_committee_surplus": _("Surplus for a small committee"),
    "election.floor_nomination_support": _("Support a nomination from the floor needs"),
    "election.elected_threshold": _("Votes needed to be elected"),
    "election.quorum": _("Quorum of the congress"),
    "election.invalid_ballot_grounds": _("A ballot is invalid when"),
    "election.ballot_name_order": _("Order of names on the ballot"),
    "delegates.ex_officio": _("Delegates by right"),
    "delegates.apportionment": _("How delegates are allocated"),
    "delegates.alternates": _("Alternate delegates"),
    "delegates.max_delegates_by_level.*": _("%(level)s: most delegates"),
    "complaints.not_handled_grounds": _("Complaints not handled"),
    "complaints.resolution_days_by_level.*": _("%(level)s: days to resolve a complaint"),
    "complaints.unresolved_at_opening": _("A complaint unresolved at the opening"),
    "complaints.cutoff.grassroots_working_days": _(
        "Cut-off before a grassroots congress (working days)"
    ),
    "complaints.cutoff.higher_working_days": _(
        "Cut-off before a congress above the grassroots (working days)"
    ),
    "complaints.cutoff.grassroots_levels": _("Levels counted as grassroots for the cut-off"),
    "complaints.cutoff.kinds": _("Cases the cut-off applies to"),
    "complaints.deadlines.counted_from": _("Resolution deadlines are counted from"),
    "complaints.deadlines.extension_days_by_level.*": _(
        "%(level)s: days a resolution deadline may be extended"
    ),
    "complaints.deadlines.centrally_managed_days": _(
        "Days to resolve a denunciation against a centrally managed cadre"
    ),
    "complaints.deadlines.centrally_managed_extension_days": _(
        "Extension for a denunciation against a centrally managed cadre (days)"
    ),
    "complaints.not_summoned": _("Members not summoned"),
    "complaints.counted_if_attending": _("Counted only when they attend"),
    "personnel.pool.shares[*]": _("Share of the planning pool"),
    "personnel.pool.removal_discipline_level": _("Removed from the planning pool from"),
    "personnel.standards.working_time[*]": _("Working time left for a body"),
    "personnel.standards.requirements[*]": _("Qualifications for a body"),
    "personnel.standards.discipline_free_months": _("Without discipline for"),
    "personnel.standards.young_under_years": _("A young cadre is under"),
    "personnel.dossier.items[*]": _("Item of the candidate's dossier"),
    "personnel.dossier.due_working_days_before_opening": _("Dossiers due before the opening"),
    "personnel.dossier.citation_rule": _("What may be cited from a dossier"),
    "personnel.introduction.steps[*]": _("Step of the introduction of candidates"),
    "personnel.introduction.appointment_steps[*]": _("Step of an appointment"),
    "transitions.not_reelected.short_band_below_months": _("Not re-elected: short band, less than"),
    "transitions.not_reelected.long_band_up_to_months": _("Not re-elected: long band, up to"),
    "transitions.not_reelected.salary_months_per_year_early": _(
        "Not re-elected: salary months per year retired early"
    ),
    "transitions.early_retirement.near_band_min_years": _("Early retirement, near band: at least"),
    "transitions.early_retirement.near_band_max_years": _("Early retirement, near band: up to"),
    "transitions.early_retirement.near_band_salary_months_per_month_early": _(
        "Early retirement, near band: salary months per month early"
    ),
    "transitions.early_retirement.near_band_months_per_year_early": _(
        "Early retirement, near band: months per year early"
    ),
    "transitions.early_retirement.far_band_max_years": _("Early retirement, far band: up to"),
    "transitions.early_retirement.far_band_coefficient": _(
        "Early retirement, far band: coefficient"
    ),
    "transitions.early_retirement.far_band_months": _("Early retirement, far band: months"),
    "transitions.early_retirement.far_band_months_per_year_early": _(
        "Early retirement, far band: months per year early"
    ),
    "transitions.early_retirement.months_early_cap": _("Early retirement: most months early"),
    "transitions.early_retirement.halved_from_month": _("Early retirement: halved from month"),
    "transitions.early_retirement.halving_factor": _("Early retirement: halving factor"),
    "transitions.resignation.salary_per_counted_month": _("Resignation: salary per month"),
    "transitions.resignation.months_per_insured_year": _("Resignation: months per insured year"),
    "transitions.resignation.job_search_months": _("Resignation: months to find work"),
    "transitions.insured_years.base_years": _("Insured years: base years"),
    "transitions.insured_years.base_months": _("Insured years: months for the base years"),
    "transitions.insured_years.months_per_further_year": _(
        "Insured years: months per further year"
    ),
    "transitions.leader_allowance.minimum_months": _("Leader's allowance kept at least"),
    "transitions.part_year_half_up_to_months": _("Part of a year counted as half, up to"),
    "transitions.decision_window.months_before_congress": _(
        "Decision on a cadre: months before the congress"
    ),
    "transitions.decision_window.months_after_congress": _(
        "Decision on a cadre: months after the congress"
    ),
    "emulation.stages": _("Stages of a movement"),
    "emulation.commendation_levels": _("Forms of commendation"),
}

# Codes that appear as values, by their names.
CODES: dict[str, Any] = {
    "elected": _("elected by the congress"),
    "appointed": _("appointed by the higher committee"),
    "committee": _("the committee"),
    "standing_committee": _("the standing committee"),
    "secretary": _("the secretary"),
    "deputy_secretary": _("the deputy secretary"),
    "inspection_committee": _("the inspection committee"),
    "inspection_chair": _("the chair of the inspection committee"),
    "inspection_deputy_chair": pgettext_lazy(
        "rulebook value", "the deputy chair of the inspection committee"
    ),
    "delegates": _("the delegates to the higher congress"),
    "candidate_opinion_poll": _("the opinion poll on candidates"),
    "presidium": _("the presidium"),
    "secretariat": _("the congress secretariat"),
    "credentials_board": _("the credentials board"),
    "counting_board": _("the counting board"),
    "not_issued_by_counting_board": pgettext_lazy(
        "rulebook value", "not issued by the counting board"
    ),
    "more_names_than_seats": _("more names kept than seats"),
    "all_names_struck": _("all names struck out"),
    "names_added": _("names added"),
    "given": _("given name"),
    "family": _("family name"),
    "middle": _("middle name"),
    "full": _("full name"),
    "birth_date": _("birth date"),
    "position": _("the slate's order"),
    "convening_committee_members": pgettext_lazy(
        "rulebook value", "members of the convening committee"
    ),
    "by_members_and_units": _("by members and units"),
    "by_higher_committee_decision": pgettext_lazy(
        "rulebook value", "by decision of the higher committee"
    ),
    "anonymous": _("anonymous letters"),
    "pseudonymous": _("under a false name"),
    "no_address": _("without an address"),
    "repeat_without_new_evidence": _("repeated without new evidence"),
    "not_specific": _("not specific"),
    "not_personally_signed": _("not signed in person"),
    "co_signed": _("signed by several people"),
    "no_legal_capacity": _("without legal capacity"),
    "report_to_higher_level": _("is reported to the higher level"),
    "suspended": _("suspended from activity"),
    "prosecuted": _("prosecuted"),
    "exempted": _("exempted from activity"),
    "temporarily_transferred": _("temporarily transferred"),
    "reprimand": _("reprimand"),
    "warning": _("warning"),
    "dismissal": _("dismissal"),
    "expulsion": _("expulsion"),
    "launch": _("launch"),
    "implementation": _("implementation"),
    "preliminary_review": _("preliminary review"),
    "final_review": _("final review"),
    "executive": _("the executive committee"),
    "standing": _("the standing committee"),
    "inspection": _("the inspection committee"),
    "at_least": _("no fewer than"),
    "about": _("about"),
    "appropriate": _("an appropriate share"),
    "entitled": _("of those entitled"),
    "convened": _("of those summoned"),
    "present": _("of those present"),
    "votes_cast": _("of the votes cast"),
    "secondary": _("secondary school"),
    "vocational": _("vocational"),
    "college": _("college"),
    "university": _("university"),
    "master": _("master's degree"),
    "doctorate": _("doctorate"),
    "none": _("no theory training"),
    "elementary": _("elementary"),
    "intermediate": _("intermediate"),
    "advanced": _("advanced"),
    "commune": _("communes formed in 2025"),
    "ward": _("wards formed in 2025"),
    "special_zone": _("special zones formed in 2025"),
}

CONTENTS = {
    CongressContent.REVIEW_AND_TARGETS: _("1. review of the term and targets"),
    CongressContent.COMMENT_ON_DRAFTS: _("2. comments on the higher level's drafts"),
    CongressContent.ELECT_COMMITTEE: _("3. electing the committee"),
    CongressContent.ELECT_DELEGATES: _("4. electing the delegates"),
}


def _lang() -> str:
    return (get_language() or "vi")[:2]


def type_name(code: str, book: Rulebook) -> str:
    for congress_type in book.congress_types:
        if congress_type.code == code:
            return congress_type.names.get(_lang())
    return code_name(code, book)


def code_name(code: str, book: Rulebook | None = None) -> str:
    if code in CODES:
        return str(CODES[code])
    if book is not None:
        for level in book.levels:
            if level.code == code:
                return level.names.get(_lang())
        for congress_type in book.congress_types:
            if congress_type.code == code:
                return congress_type.names.get(_lang())
    return code.replace("_", " ")


def has_label(pattern: str) -> bool:
    return pattern in LABELS


def label(rule: outline.Rule, book: Rulebook) -> str:
    template = LABELS.get(rule.pattern)
    if template is None:
        return rule.path
    return str(template) % {
        "level": code_name(rule.level, book) if rule.level else "",
        "kind": code_name(rule.kind, book) if rule.kind else "",
        "item": type_name(rule.item, book) if rule.item else "",
    }


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _number(value: Decimal | int) -> str:
    return formats.number_format(value, use_l10n=True).rstrip("0").rstrip(",.") or "0"


def _duration(d: Duration) -> str:
    if d.months:
        return gettext("%(y)s years %(m)s months") % {"y": d.years, "m": d.months}
    return gettext("%(y)s years") % {"y": d.years}


def _share(t: Threshold | Share) -> str:
    more = gettext("more than") if t.strict else gettext("no fewer than")
    text = f"{more} {t.numerator}/{t.denominator}"
    base = getattr(t, "base", "")
    return f"{text} {code_name(base)}" if base else text


def _months(n: int) -> str:
    return ngettext("%(n)s month", "%(n)s months", n) % {"n": n}


def _years(n: int) -> str:
    return ngettext("%(n)s year", "%(n)s years", n) % {"n": n}


def _days(n: Decimal | int) -> str:
    return gettext("%(n)s days") % {"n": _number(n)}


_MONTHS = ("months", "month", "_months_left")
_YEARS = ("_years",)


def value_text(rule: outline.Rule, book: Rulebook) -> str:
    """The rule's value written out for a reader."""
    value = rule.cited.value
    pattern = rule.pattern
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.date):
        return _date(value)
    if isinstance(value, tuple):
        if pattern.startswith("congress_types"):
            return "; ".join(str(CONTENTS[CongressContent(c)]) for c in value)
        return "; ".join(_item(v, book) for v in value)
    if isinstance(value, str):
        if pattern.startswith("type_assignment"):
            return type_name(value, book)
        return code_name(value, book)
    if isinstance(value, (int, Decimal)):
        return _quantity(pattern, value)
    return _item(value, book)


def _quantity(pattern: str, value: int | Decimal) -> str:
    name = pattern.rsplit(".", 1)[-1]
    if "percent" in name:
        return f"{_number(value)} %"
    if "days" in pattern:
        return _days(value)
    if isinstance(value, int) and any(m in name for m in _MONTHS):
        return _months(value)
    if isinstance(value, int) and any(name.endswith(y) for y in _YEARS):
        return _years(value)
    if pattern.startswith("delegates.max_delegates"):
        return ngettext("%(n)s delegate", "%(n)s delegates", int(value)) % {"n": value}
    return _number(value)


def _item(value: Any, book: Rulebook) -> str:
    lang = _lang()
    if isinstance(value, str):
        return code_name(value, book)
    if isinstance(value, Names):
        return value.get(lang)
    if isinstance(value, FormedUnitWindow):
        if value.formed_until is not None:
            period = gettext("formed %(a)s–%(b)s") % {
                "a": _date(value.formed_from),
                "b": _date(value.formed_until),
            }
        else:
            period = gettext("formed from %(a)s") % {"a": _date(value.formed_from)}
        if value.latest is not None:
            deadline = gettext("congress from its formation until %(d)s") % {
                "d": _date(value.latest)
            }
        else:
            deadline = gettext("congress within %(m)s of its formation") % {
                "m": _months(value.months_after_formation or 0)
            }
        return f"{period}: {deadline}"
    if isinstance(value, RoadmapSpec):
        return gettext(
            "%(before)s until %(year)s; from %(year)s %(start)s, rising %(step)s a year "
            "up to %(cap)s"
        ) % {
            "before": _duration(value.before_start),
            "year": value.start_year,
            "start": _duration(value.start_age),
            "step": _months(value.step_months),
            "cap": _duration(value.cap),
        }
    if isinstance(value, PercentRange):
        return f"{_number(value.low)}–{_number(value.high)} %"
    if isinstance(value, SmallCommitteeSurplus):
        return gettext("%(a)s–%(b)s seats: at most %(n)s more candidates") % {
            "a": value.min_seats,
            "b": value.max_seats,
            "n": value.max_extra,
        }
    if isinstance(value, (Threshold, Share)):
        return _share(value)
    if isinstance(value, StructureTarget):
        share = f" {_number(value.percent)} %" if value.percent is not None else ""
        return f"{value.names.get(lang)}: {code_name(value.comparison)}{share}"
    if isinstance(value, WorkingTimeRule):
        return gettext("%(level)s, %(body)s, %(which)s: %(months)s left") % {
            "level": code_name(value.level, book),
            "body": code_name(value.body),
            "which": gettext("re-election") if value.reelection else gettext("first time"),
            "months": _months(value.min_months_left),
        }
    if isinstance(value, BodyRequirement):
        parts = [code_name(value.level, book)]
        if value.body:
            parts.append(code_name(value.body))
        needs = []
        if value.min_education:
            needs.append(gettext("education: %(e)s") % {"e": code_name(value.min_education)})
        if value.min_political_theory:
            needs.append(
                gettext("political theory: %(t)s") % {"t": code_name(value.min_political_theory)}
            )
        return f"{', '.join(parts)}: {'; '.join(needs)}"
    if isinstance(value, IntroductionStep):
        how = gettext("secret ballot") if value.secret_ballot else gettext("open vote")
        return gettext("%(n)s. %(name)s (%(how)s; nominee needs %(share)s)") % {
            "n": value.number,
            "name": value.names.get(lang),
            "how": how,
            "share": _share(value.threshold),
        }
    for attr in ("description", "names", "name"):
        names = getattr(value, attr, None)
        if isinstance(names, Names):
            number = getattr(value, "number", None)
            percent = getattr(value, "percent", None)
            text = names.get(lang)
            if number is not None:
                text = f"{number}. {text}"
            if percent is not None:
                text = f"{text}: {_number(percent)} %"
            return text
    return str(value)


def source_text(rule: outline.Rule, book: Rulebook) -> str:
    """The source as cited; in Vietnamese its full title when the rulebook lists one."""
    source = rule.cited.source
    if _lang() != "vi":
        return source
    if source in book.sources:
        return str(book.sources[source])
    # "Decision 190-QĐ/TW art. 3": the short names inside a longer citation, by their titles.
    for short in sorted(book.sources, key=len, reverse=True):
        if short in source:
            source = source.replace(short, str(book.sources[short]))
    return source

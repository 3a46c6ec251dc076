"""P5: server time and queries of every page a demo user can reach, on the demo province.

    python -m bench.bench_pages                       # builds the demo in a temporary SQLite db
    python -m bench.bench_pages --var-dir var         # reuses the demo already built there

Builds the demo (`daihoi demo`, 108,000 members, the 2025–2030 cycle, the pilot congress day,
personnel, cases, transitions and targets) unless the database has it, then requests each page
through Django's test client as the demo user who would open it, on the demo's day (15 July
2025). Prints, per page, the median and p95 server time and the number of queries; a page
answering anything but 200 stops the run.

The pages are checked against the route census (every URL pattern, as `tests/test_routes.py`
walks them): each route is either requested here or listed in `NOT_PAGES` with the reason
(a file download, a live stream, a form's POST target). A route that is neither — a new page
— is printed as not covered, and `--strict` makes that an error.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from bench.common import machine

TARGET_MS = 100
EXPECT = {"/congresses/": 302}  # the cycles list sends the user to the only cycle

# Routes that are not pages, by why: files (PDF, XLSX, CSV), live streams, and the targets of
# forms and buttons (POST only: a GET answers 405 or redirects).
DOWNLOAD, STREAM, POST_ONLY, OTHER = "file download", "live stream", "POST target", "other"
NOT_PAGES: dict[str, str] = {
    "healthz": OTHER,  # the load balancer's probe
    "i18n/setlang/": POST_ONLY,
    "accounts/logout/": POST_ONLY,
    "accounts/password/done/": OTHER,  # the page after a password change
    "accounts/grants/<int:grant_id>/revoke/": POST_ONLY,
    "accounts/tokens/<int:token_id>/revoke/": POST_ONLY,
    "cases/congress/<int:congress_id>/report.pdf": DOWNLOAD,
    "cases/export.xlsx": DOWNLOAD,
    "conduct/congresses/<int:congress_id>/badges.pdf": DOWNLOAD,
    "conduct/congresses/<int:congress_id>/credentials.pdf": DOWNLOAD,
    "conduct/congresses/<int:congress_id>/login-letters.pdf": DOWNLOAD,
    "conduct/congresses/<int:congress_id>/delegates/<int:delegate_id>/absent/": POST_ONLY,
    "conduct/congresses/<int:congress_id>/roster/add/": POST_ONLY,
    "conduct/congresses/<int:congress_id>/roster/build/": POST_ONLY,
    r"congresses/^cycles/(?P<cycle_id>\d+)/progress\.(?P<fmt>xlsx|pdf)$": DOWNLOAD,
    "congresses/c/<int:congress_id>/exempt/": POST_ONLY,
    "congresses/c/<int:congress_id>/step/": POST_ONLY,
    "congresses/c/<int:congress_id>/venue/": POST_ONLY,
    "congresses/directives/<int:directive_id>/attachment/": DOWNLOAD,
    r"consultation/^c/(?P<consultation_id>\d+)/report\.(?P<fmt>xlsx|pdf)$": DOWNLOAD,
    r"consultation/^c/(?P<consultation_id>\d+)/synthesis/(?P<anchor>[^/.]+)\.xlsx$": DOWNLOAD,
    r"consultation/^comments/(?P<comment_id>\d+)/(?P<verb>hide|restore)$": POST_ONLY,
    r"consultation/^u/(?P<code>[^/]+)/rollup\.(?P<fmt>xlsx|pdf)$": DOWNLOAD,
    "consultation/c/<int:consultation_id>/comment": POST_ONLY,
    "consultation/c/<int:consultation_id>/moderation/bulk": POST_ONLY,
    "consultation/c/<int:consultation_id>/synthesize": POST_ONLY,
    "consultation/d/<int:draft_id>/consult": POST_ONLY,
    "consultation/d/<int:draft_id>/import": POST_ONLY,
    "consultation/dispositions": POST_ONLY,
    "consultation/moderations/<int:batch_id>/undo": POST_ONLY,
    "consultation/drafts/new": POST_ONLY,
    "conduct/congresses/<int:congress_id>/agenda/<int:item_id>/manage/": POST_ONLY,
    "elections/<int:election_id>/ballot.pdf": DOWNLOAD,
    "elections/<int:election_id>/do/<slug:what>/": POST_ONLY,
    "elections/<int:election_id>/minutes.pdf": DOWNLOAD,
    "elections/congress/<int:congress_id>/documents/<slug:document>.<slug:fmt>": DOWNLOAD,
    "elections/congress/<int:congress_id>/projector/stream/": STREAM,
    r"^u/(?P<code>[^/]+)/import/template-(?P<kind>members|units)\.xlsx$": DOWNLOAD,
    r"^u/(?P<code>[^/]+)/members\.(?P<fmt>xlsx|csv)$": DOWNLOAD,
    r"^u/(?P<code>[^/]+)/units\.(?P<fmt>xlsx|csv)$": DOWNLOAD,
    "personnel/candidates/<int:candidate_id>/sheet.pdf": DOWNLOAD,
    "personnel/plans/<int:plan_id>/plan.xlsx": DOWNLOAD,
    "personnel/pool/<str:code>/pool.xlsx": DOWNLOAD,
    "transitions/cases/<int:case_id>/notice.pdf": DOWNLOAD,
    "transitions/finance.xlsx": DOWNLOAD,
}


def census() -> list[str]:
    """Every URL pattern outside the admin and the API (whose reads are listed by hand)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace not in ("admin", "api"):
                yield prefix + str(p.pattern)

    return sorted(set(walk(get_resolver().url_patterns, "", None)))


def route_of(url: str) -> str:
    from django.urls import resolve

    return str(resolve(urlsplit(url).path).route)


def demo_pages() -> tuple[list[tuple[str, str, str]], list[str]]:
    """(who, label, url) of every page, with the demo's own objects in the URLs; and the
    routes of pages the demo holds no object for (they cannot be requested)."""
    from daihoi.accounts.models import User
    from daihoi.cases.models import Case
    from daihoi.cases.queries import public_congresses
    from daihoi.conduct.models import AgendaItem, BoardSeat
    from daihoi.congresses.models import Congress, Cycle, Directive
    from daihoi.consultation.models import CommentGroup, Consultation, Draft, SynthesisRun
    from daihoi.elections.models import Election
    from daihoi.organizations.models import Person, PreparedReorganization, Unit
    from daihoi.personnel.models import Plan, PlanCandidate
    from daihoi.rulebooks.loader import available_rulebooks
    from daihoi.targets.models import Movement, Target
    from daihoi.transitions.models import TransitionCase

    cycle = Cycle.objects.get(root__code="HD")
    district = Unit.objects.get(code="HD-KM")
    grassroots = Unit.objects.filter(path__startswith=district.path, level="grassroots").first()
    assert grassroots is not None
    coso_unit = User.objects.get(username="coso").grants.get().unit
    cell = Unit.objects.filter(path__startswith=coso_unit.path, level="cell").first()
    person = Person.objects.filter(unit__path__startswith=district.path).order_by("pk").first()
    assert person is not None
    d_congress = Congress.objects.get(cycle=cycle, unit=district)
    p_congress = Congress.objects.get(cycle=cycle, unit=cycle.root)
    # the pilot congress: the one whose day was held (its counting board is seated)
    seat = BoardSeat.objects.filter(user__username="kiemphieu1").select_related("congress").first()
    pilot = seat.congress if seat else None
    c = cycle.pk
    absent: list[str] = []
    pages: list[tuple[str, str, str]] = [
        # (who, label, url)
        ("", "login", "/accounts/login/"),
        ("tinh", "start", "/start/"),
        ("tinh", "unit tree", "/"),
        ("tinh", "tree search without diacritics", "/?q=nguyen van"),
        ("tinh", "province unit page", "/u/HD/"),
        ("tinh", "province members, page 50", "/u/HD/?page=50"),
        ("kinhmon", "district unit page", f"/u/{district.code}/"),
        ("kinhmon", "grassroots unit page", f"/u/{grassroots.code}/"),
        ("kinhmon", "person page", f"/people/{person.pk}/"),
        ("kinhmon", "import page", f"/u/{district.code}/import/"),
        ("tinh", "reorganization page", "/u/HD/reorganize/"),
        ("tinh", "reorganization: unit picker", "/u/HD/reorganize/units/?q=kinh"),
        ("tinh", "unit picker", "/pick/units/?q=kinh mon"),
        ("tinh", "person picker", "/pick/people/?unit=HD&q=nguyen van"),
        ("kinhmon", "person picker, a district", f"/pick/people/?unit={district.code}&q=tran"),
        ("tinh", "grants", "/accounts/grants/"),
        ("tinh", "API tokens", "/accounts/tokens/"),
        ("tinh", "password change", "/accounts/password/"),
        ("tinh", "cycles (one: redirects to it)", "/congresses/"),
        ("tinh", "province dashboard", f"/congresses/cycles/{c}/"),
        ("tinh", "district dashboard", f"/congresses/cycles/{c}/?unit={district.code}"),
        ("tinh", "congress list, overdue", f"/congresses/cycles/{c}/congresses/?overdue=1"),
        ("tinh", "plan", f"/congresses/cycles/{c}/plan/"),
        ("tinh", "cycle's rulebook", f"/congresses/cycles/{c}/rulebook/"),
        ("kinhmon", "district congress", f"/congresses/c/{d_congress.pk}/"),
        ("tinh", "provincial congress", f"/congresses/c/{p_congress.pk}/"),
        ("tinh", "directives", "/congresses/directives/"),
        ("tinh", "congress picker", "/congresses/pick/?q=kinh"),
        ("tinh", "rulebooks", "/rulebooks/"),
        ("kinhmon", "congress day", f"/conduct/congresses/{d_congress.pk}/"),
        ("kinhmon", "congress days", "/conduct/"),
        ("", "delegate code login", "/conduct/login/"),
        ("kinhmon", "elections of a congress", f"/elections/congress/{d_congress.pk}/"),
        ("dangvien", "consultations", "/consultation/"),
        ("dangvien", "my comments", "/consultation/mine/"),
        ("tinh", "consultation rollup", "/consultation/u/HD/rollup"),
        ("thanhtra", "cases", "/cases/"),
        ("dangvien", "my cases", "/cases/mine/"),
        ("dangvien", "new case", "/cases/new/"),
        ("thanhtra", "record a letter", "/cases/record/"),
        ("tinh", "feedback", "/cases/feedback/"),
        ("thanhtra", "working-day calendar", "/cases/calendar/"),
        ("tinh", "personnel", "/personnel/"),
        ("tinh", "personnel pool", "/personnel/pool/HD/"),
        ("tinh", "personnel plans of a congress", f"/personnel/congresses/{p_congress.pk}/"),
        ("tinh", "transitions", "/transitions/"),
        ("tinh", "targets", "/targets/"),
        ("tinh", "movements", "/targets/movements/"),
        ("tinh", "targets of a term", "/targets/u/HD/2020/"),
        ("tinh", "term review", "/targets/u/HD/2020/review/"),
        ("tinh", "API unit", "/api/v1/units/HD"),
        ("tinh", "API children", "/api/v1/units/HD/children"),
        ("tinh", "API members", f"/api/v1/units/{district.code}/members?limit=100&offset=5000"),
        ("tinh", "API progress", f"/api/v1/cycles/{c}/progress?unit=HD"),
    ]
    if cell is not None:
        pages.append(("coso", "cell unit page", f"/u/{cell.code}/"))
    books = sorted(book.id for book in available_rulebooks())
    pages.append(("tinh", "rulebook", f"/rulebooks/{cycle.rulebook_id}/"))
    other = next((b for b in books if b != cycle.rulebook_id), None)
    if other is not None:
        pages.append(
            ("tinh", "rulebooks compared", f"/rulebooks/{other}/compare/{cycle.rulebook_id}/")
        )
    prepared = PreparedReorganization.objects.select_related("unit").order_by("pk").first()
    if prepared is not None:
        pages.append(
            (
                "tinh",
                "prepared reorganization",
                f"/u/{prepared.unit.code}/reorganize/{prepared.pk}/",
            )
        )
    else:
        absent.append("u/<str:code>/reorganize/<int:pk>/")
    directive = Directive.objects.order_by("pk").first()
    if directive is not None:
        pages += [
            ("tinh", "directive", f"/congresses/directives/{directive.pk}/"),
            (
                "tinh",
                "directive: attendee picker",
                f"/congresses/directives/{directive.pk}/attendees/?unit=HD&q=nguyen",
            ),
        ]
    else:
        absent += [
            "congresses/directives/<int:directive_id>/",
            "congresses/directives/<int:directive_id>/attendees/",
        ]
    consultation = Consultation.objects.filter(draft_version__draft__congress__cycle=cycle).first()
    if consultation is not None:
        k = consultation.pk
        pages += [
            ("dangvien", "consultation (532 comments)", f"/consultation/c/{k}/"),
            ("bientap", "synthesis page (before a run)", f"/consultation/c/{k}/synthesis"),
            ("admin", "moderation", f"/consultation/c/{k}/moderation"),
        ]
    public = Consultation.objects.filter(audience=Consultation.Audience.PUBLIC).first()
    if public is not None:
        pages.append(("", "public consultation", f"/consultation/public/{public.pk}/"))
    else:
        absent.append("consultation/public/<int:consultation_id>/")
    run = SynthesisRun.objects.order_by("pk").first()
    if run is not None:
        pages.append(("bientap", "synthesis run", f"/consultation/runs/{run.pk}/"))
    else:
        absent.append("consultation/runs/<int:run_id>/")
        paragraph = consultation.draft_version.paragraphs.order_by("number").first()
        if paragraph is not None:
            pages.append(
                (
                    "bientap",
                    "synthesis of a paragraph",
                    f"/consultation/c/{k}/synthesis/{paragraph.anchor}",
                )
            )
    draft = Draft.objects.filter(congress__cycle=cycle).order_by("pk").first()
    if draft is not None:
        pages += [
            ("bientap", "draft", f"/consultation/d/{draft.pk}/"),
            ("bientap", "draft versions compared", f"/consultation/d/{draft.pk}/diff"),
        ]
    group = CommentGroup.objects.order_by("pk").first()
    if group is not None:
        pages.append(("bientap", "comment group", f"/consultation/g/{group.pk}/"))
    else:
        absent.append("consultation/g/<int:group_id>/")
    if pilot is not None:
        g = pilot.pk
        pages += [
            ("coso", "pilot congress day", f"/conduct/congresses/{g}/"),
            ("coso", "delegate accounts", f"/conduct/congresses/{g}/accounts/"),
            ("coso", "agenda", f"/conduct/congresses/{g}/agenda/"),
            ("coso", "attendance", f"/conduct/congresses/{g}/attendance/"),
            ("coso", "boards", f"/conduct/congresses/{g}/boards/"),
            ("coso", "check-in", f"/conduct/congresses/{g}/check-in/"),
            ("coso", "credentials", f"/conduct/congresses/{g}/credentials/"),
            ("coso", "roster", f"/conduct/congresses/{g}/roster/"),
            ("coso", "roster: member picker", f"/conduct/congresses/{g}/roster/pick/?q=nguyen"),
            ("kiemphieu1", "delegate's own page", f"/conduct/congresses/{g}/me/"),
            ("coso", "elections of the pilot congress", f"/elections/congress/{g}/"),
            ("coso", "appointments", f"/elections/congress/{g}/appoint/"),
            ("kiemphieu1", "counting key", f"/elections/congress/{g}/counting-key/"),
            ("coso", "election documents", f"/elections/congress/{g}/documents/"),
            ("coso", "projector", f"/elections/congress/{g}/projector/"),
            ("coso", "projector: hall", f"/elections/congress/{g}/projector/hall/"),
            ("coso", "projector: panel", f"/elections/congress/{g}/projector/panel/"),
            ("coso", "after-vote transitions", f"/elections/congress/{g}/transitions/"),
        ]
        item = AgendaItem.objects.filter(congress=pilot).order_by("pk").first()
        if item is not None:
            pages += [
                ("coso", "agenda item", f"/conduct/congresses/{g}/agenda/{item.pk}/"),
            ]
        election = Election.objects.filter(congress=pilot).order_by("pk").first()
        if election is not None:
            e = election.pk
            pages += [
                ("coso", "election", f"/elections/{e}/"),
                ("kiemphieu1", "counting board", f"/elections/{e}/board/"),
                ("kiemphieu1", "paper count", f"/elections/{e}/paper/"),
                ("coso", "ballot form", f"/elections/{e}/vote/"),
            ]
            receipt = election.receipts.first()
            if receipt is not None:
                pages.append(("coso", "receipt", f"/elections/{e}/receipt/{receipt.code}/"))
            else:  # the demo's elections were held on paper
                absent.append("elections/<int:election_id>/receipt/<str:code>/")
    open_to_public = public_congresses().order_by("pk").first()
    if open_to_public is not None:
        pages.append(("", "public feedback form", f"/cases/public/{open_to_public.pk}/"))
    case = Case.objects.exclude(kind="feedback").order_by("pk").first()
    if case is not None:
        pages += [
            ("thanhtra", "case", f"/cases/{case.pk}/"),
            ("thanhtra", "cases of a congress", f"/cases/congress/{case.congress_id}/"),
        ]
    feedback = Case.objects.filter(kind="feedback").order_by("pk").first()
    if feedback is not None:
        pages.append(("tinh", "feedback item", f"/cases/feedback/{feedback.pk}/"))
    plan = Plan.objects.filter(congress=p_congress).order_by("pk").first()
    if plan is not None:
        pages.append(("tinh", "personnel plan", f"/personnel/plans/{plan.pk}/"))
        candidate = PlanCandidate.objects.filter(plan=plan).order_by("pk").first()
        if candidate is not None:
            pages.append(("tinh", "candidate dossier", f"/personnel/candidates/{candidate.pk}/"))
    transition = TransitionCase.objects.order_by("pk").first()
    if transition is not None:
        pages.append(("tinh", "transition case", f"/transitions/cases/{transition.pk}/"))
    target = Target.objects.order_by("pk").first()
    if target is not None:
        pages.append(("tinh", "target", f"/targets/t/{target.pk}/"))
    movement = Movement.objects.order_by("pk").first()
    if movement is not None:
        pages.append(("tinh", "movement", f"/targets/movements/{movement.pk}/"))
    return pages, absent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--var-dir", help="a DAIHOI_VAR_DIR whose database holds the demo")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", help="only the pages whose label contains this")
    parser.add_argument("--strict", action="store_true", help="a route not covered is an error")
    args = parser.parse_args()
    os.environ["DAIHOI_VAR_DIR"] = args.var_dir or tempfile.mkdtemp(prefix="daihoi-bench-pages-")
    os.environ["DAIHOI_TODAY"] = "2025-07-15"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from daihoi.accounts.models import User

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", stdout=io.StringIO())
    print("daihoi pages benchmark (P5) on the demo province, as of 2025-07-15")
    print(f"machine: {machine()}")
    print(f"demo ready in {time.perf_counter() - started:.1f} s")

    pages, absent = demo_pages()
    covered = {route_of(url) for _who, _label, url in pages}
    missing = [r for r in census() if r not in covered and r not in NOT_PAGES and r not in absent]
    stale = [r for r in NOT_PAGES if r not in census()]
    if args.only:
        pages = [p for p in pages if args.only in p[1]]

    clients: dict[str, Client] = {}
    for who in {p[0] for p in pages}:
        clients[who] = Client(headers={"accept-language": "vi"})
        if who:
            clients[who].force_login(User.objects.get(username=who))

    def measure(client: Client, url: str) -> tuple[list[float], int]:
        executed: list[str] = []

        def count(run: Callable[..., object], sql: str, *rest: object) -> object:
            executed.append(sql)
            return run(sql, *rest)

        response = client.get(url)  # warm
        if response.status_code != EXPECT.get(url, 200):
            raise SystemExit(f"{url} answered {response.status_code}")
        with connection.execute_wrapper(count):
            client.get(url)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        return sorted(times), len(executed)

    print(f"{'page':<34} {'as':<10} {'median':>8} {'p95':>8} {'queries':>8}")
    worst = 0.0
    for who, label, url in pages:
        times, n = measure(clients[who], url)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        worst = max(worst, p95)
        print(
            f"{label:<34} {who or '(anon)':<10} {statistics.median(times):6.1f}ms "
            f"{p95:6.1f}ms {n:>8}" + ("  over target" if p95 > TARGET_MS else "")
        )
    print(f"slowest p95 {worst:.1f} ms (target {TARGET_MS} ms), n={args.repeat} per page")
    kinds = ", ".join(sorted(set(NOT_PAGES.values())))
    print(f"{len(pages)} pages; {len(NOT_PAGES)} routes are not pages ({kinds})")
    for route in absent:
        print(f"not requested, the demo holds none: {route}")
    for route in missing:
        print(f"not covered: {route}")
    for route in stale:
        print(f"listed as not a page but no longer a route: {route}")
    if args.strict and (missing or stale):
        raise SystemExit("routes not covered")


if __name__ == "__main__":
    main()

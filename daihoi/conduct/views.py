"""Congress-day pages: the hub, roster, credentials, badges, check-in, attendance, agenda.

Every view is scoped; the congress is fetched through `access_congress_by_id` (404 outside
the user's reach), and duties are then checked against boards and roles (403).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daihoi.conduct import actions, documents, queries
from daihoi.conduct.actions.accounts import login_valid_until
from daihoi.conduct.models import AgendaItem, BoardSeat, Delegate, SpeakerRequest
from daihoi.congresses.gates import seats_frozen
from daihoi.congresses.models import Congress
from daihoi.core import ratelimit
from daihoi.core.access import public, scoped
from daihoi.core.errors import error_text
from daihoi.organizations.queries import members_in_subtree

Board = BoardSeat.Board


def _require_duty(request: HttpRequest, congress: Congress, board: str | None) -> None:
    """A seat on `board` (if any) or an organizer over the unit; 403 otherwise."""
    user = request.user
    if board is not None and queries.is_board_member(user, congress, board):
        return
    if not queries.is_organizer(user, congress):
        raise PermissionDenied(
            _("This page is for the %(board)s or an organizer.")
            % {"board": Board(board).label if board else _("organizers")}
        )


def _duties(request: HttpRequest, congress: Congress) -> dict[str, bool]:
    boards = queries.user_boards(request.user, congress)
    organizer = queries.is_organizer(request.user, congress)
    return {
        "organizer": organizer,
        "credentials": organizer or Board.CREDENTIALS in boards,
        "presidium": organizer or Board.PRESIDIUM in boards,
        "counting": organizer or Board.COUNTING in boards,
    }


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@scoped
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    congresses = queries.congresses_visible(request.user).order_by("-cycle_id", "unit__path")
    page = Paginator(congresses, settings.DAIHOI_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "conduct/index.html", {"page": page})


@scoped
@require_GET
def congress_detail(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    basis = queries.entitled_basis(congress)
    context = {
        "congress": congress,
        "duties": _duties(request, congress),
        "basis": basis,
        "quorum": queries.quorum(congress, basis=basis),
        "me": queries.delegate_for_user(request.user, congress),
    }
    return render(request, "conduct/congress.html", context)


@scoped
@require_GET
def roster(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    status = request.GET.get("status", "")
    if status not in Delegate.Status.values:
        status = ""
    lines = queries.roster_ordered(congress, status=status or None)
    page = Paginator(lines, settings.DAIHOI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "congress": congress,
        "duties": _duties(request, congress),
        "page": page,
        "status": status,
        "statuses": Delegate.Status.choices,
        "basis": queries.entitled_basis(congress),
    }
    return render(request, "conduct/roster.html", context)


@scoped
@require_POST
def roster_build(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    change = actions.roster_build(actor=request.user, congress=congress)
    messages.success(request, _("%(n)s people added to the roster.") % {"n": len(change.added)})
    return redirect("conduct:roster", congress.pk)


@scoped
@require_POST
def delegate_add(request: HttpRequest, congress_id: int) -> HttpResponse:
    """An organizer adds a member of the unit by member code, with the reason (audited)."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    _require_duty(request, congress, None)
    code = request.POST.get("member_code", "").strip()
    person = members_in_subtree(congress.unit).filter(member_code=code).first() if code else None
    if person is None:
        messages.error(
            request, _("No member with this code in %(unit)s.") % {"unit": congress.unit}
        )
        return redirect("conduct:roster", congress.pk)
    try:
        line = actions.delegate_add_by_hand(
            actor=request.user,
            congress=congress,
            person=person,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("%(name)s was added to the roster.") % {"name": line.person.full_name}
        )
    return redirect("conduct:roster", congress.pk)


@scoped
@require_http_methods(["GET", "POST"])
def delegate_accounts(request: HttpRequest, congress_id: int) -> HttpResponse:
    """Accounts for the roster, made in bulk; their login letters; ending them."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    _require_duty(request, congress, None)
    if request.method == "POST":
        try:
            if request.POST.get("op") == "end":
                count = actions.delegate_accounts_end(actor=request.user, congress=congress)
                messages.success(request, _("%(n)s delegate accounts ended.") % {"n": count})
            else:
                made = actions.delegate_accounts_create(actor=request.user, congress=congress)
                messages.success(
                    request,
                    _("%(created)s accounts made, %(linked)s existing accounts linked.")
                    % {"created": made.created, "linked": made.linked},
                )
        except ValidationError as error:
            messages.error(request, error_text(error))
        return redirect("conduct:delegate_accounts", congress.pk)
    logins = queries.delegate_logins(congress).order_by("delegate__person__full_name", "pk")
    page = Paginator(logins, settings.DAIHOI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"congress": congress, "page": page, "valid_until": login_valid_until(congress)}
    return render(request, "conduct/accounts.html", context)


@scoped
@require_POST
def login_letters_pdf(request: HttpRequest, congress_id: int) -> HttpResponse:
    """New one-time codes for every account, printed one letter per page (voids old ones)."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    _require_duty(request, congress, None)
    try:
        letters = actions.delegate_login_codes_issue(actor=request.user, congress=congress)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("conduct:delegate_accounts", congress.pk)
    pdf = documents.login_letters_pdf(
        congress,
        letters,
        login_url=request.build_absolute_uri(reverse("conduct:code_login")),
        valid_until=login_valid_until(congress),
        request=request,
    )
    return _pdf_response(pdf, f"login-letters-{congress.pk}.pdf")


@public
@require_http_methods(["GET", "POST"])
def code_login(request: HttpRequest) -> HttpResponse:
    """A delegate logs in with the one-time code of their letter (scanned or typed).

    GET only shows the form (a link preview must not spend the code); POST spends it."""
    code = request.POST.get("code", request.GET.get("code", ""))
    context: dict[str, Any] = {"code": code}
    if request.method == "POST":
        limit = int(getattr(settings, "DAIHOI_CODE_LOGINS_PER_HOUR", 20))
        if ratelimit.hit("code-login", ratelimit.client_address(request), limit=limit):
            context["error"] = _("Too many attempts from this address. Try again in an hour.")
            return render(request, "conduct/code_login.html", context, status=429)
        try:
            user = actions.delegate_login_redeem(code=code)
        except ValidationError as error:
            context["error"] = error_text(error)
            return render(request, "conduct/code_login.html", context, status=400)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome, %(name)s.") % {"name": user.person or user})
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "conduct/code_login.html", context)


@scoped
@require_POST
def delegate_absent(request: HttpRequest, congress_id: int, delegate_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    line = queries.access_delegate_by_id(request.user, congress, delegate_id)
    try:
        alternate = actions.delegate_mark_absent(actor=request.user, delegate=line)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if alternate is None:
            messages.warning(
                request,
                _("%(name)s is absent; no alternate is left to replace them.")
                % {"name": line.person.full_name},
            )
        else:
            messages.success(
                request,
                _("%(name)s is absent and replaced by %(other)s.")
                % {"name": line.person.full_name, "other": alternate.person.full_name},
            )
    return redirect("conduct:roster", congress.pk)


@scoped
@require_http_methods(["GET", "POST"])
def credentials(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    _require_duty(request, congress, Board.CREDENTIALS)
    if request.method == "POST":
        actions.credentials_verify(actor=request.user, congress=congress)
        messages.success(request, _("Every delegate was checked against the rulebook."))
        return redirect("conduct:credentials", congress.pk)
    report = queries.credentials_report(congress)
    return render(request, "conduct/credentials.html", {"congress": congress, "report": report})


@scoped
@require_GET
def credentials_pdf(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    _require_duty(request, congress, Board.CREDENTIALS)
    pdf = documents.credentials_report_pdf(congress, request)
    return _pdf_response(pdf, f"credentials-{congress.pk}.pdf")


@scoped
@require_GET
def badges_pdf(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    _require_duty(request, congress, Board.CREDENTIALS)
    return _pdf_response(documents.badges_pdf(congress, request), f"badges-{congress.pk}.pdf")


@scoped
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    _require_duty(request, congress, Board.CREDENTIALS)
    context: dict[str, Any] = {"congress": congress}
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            result = actions.delegate_check_in(actor=request.user, congress=congress, code=code)
        except ValidationError as error:
            context |= {"ok": False, "message": error_text(error)}
            status = 422
        else:
            context |= {
                "ok": True,
                "already": result.already,
                "line": result.delegate,
                "message": actions.check_in_message(result),
            }
        if getattr(request, "htmx", False):
            # htmx swaps only 2xx by default; the result is shown either way.
            return render(request, "conduct/_check_in_result.html", context)
    context["quorum"] = queries.quorum(congress)
    return render(request, "conduct/check_in.html", context, status=status)


@scoped
@require_GET
def attendance(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    basis = queries.entitled_basis(congress)
    context = {
        "congress": congress,
        "basis": basis,
        "quorum": queries.quorum(congress, basis=basis),
    }
    htmx = bool(getattr(request, "htmx", False))
    template = "conduct/_attendance.html" if htmx else "conduct/attendance.html"
    return render(request, template, context)


@scoped
@require_http_methods(["GET", "POST"])
def boards(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    _require_duty(request, congress, None)
    if request.method == "POST":
        if "remove" in request.POST:
            seat_id = request.POST.get("remove", "")
            seats = queries.board_seats(congress)
            seat = seats.filter(pk=int(seat_id)).first() if seat_id.isdigit() else None
            if seat is not None:
                try:
                    actions.board_seat_remove(
                        actor=request.user, seat=seat, reason=request.POST.get("reason", "")
                    )
                except ValidationError as error:
                    messages.error(request, error_text(error))
                else:
                    messages.success(request, _("The seat was removed."))
            return redirect("conduct:boards", congress.pk)
        picked = request.POST.get("user", "")
        # Only people who may sit here can be picked: nothing is said about other accounts.
        user = (
            queries.seat_candidates(congress).filter(pk=int(picked)).first()
            if picked.isdigit()
            else None
        )
        if user is None:
            messages.error(request, _("Pick a delegate or a member of this unit from the search."))
        else:
            try:
                actions.board_seat_assign(
                    actor=request.user,
                    congress=congress,
                    user=user,
                    board=request.POST.get("board", ""),
                    reason=request.POST.get("reason", ""),
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                name = user.person.full_name if user.person else user.get_username()
                messages.success(request, _("%(u)s has a seat now.") % {"u": name})
        return redirect("conduct:boards", congress.pk)
    query = request.GET.get("q", "").strip()
    context = {
        "congress": congress,
        "seats": queries.board_seats(congress),
        "boards": Board.choices,
        "query": query,
        "candidates": list(queries.seat_candidates(congress, query)[:20]) if query else [],
        "frozen": seats_frozen(congress),
    }
    if getattr(request, "htmx", False) and request.GET.get("picker"):
        return render(request, "conduct/_seat_candidates.html", context)
    return render(request, "conduct/boards.html", context)


@scoped
@require_http_methods(["GET", "POST"])
def agenda(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    duties = _duties(request, congress)
    if request.method == "POST":
        try:
            actions.agenda_item_add(
                actor=request.user,
                congress=congress,
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", AgendaItem.Kind.DISCUSSION),
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The item was added to the agenda."))
        return redirect("conduct:agenda", congress.pk)
    context = {
        "congress": congress,
        "duties": duties,
        "items": queries.agenda(congress),
        "kinds": AgendaItem.Kind.choices,
    }
    return render(request, "conduct/agenda.html", context)


@scoped
@require_http_methods(["GET", "POST"])
def agenda_item(request: HttpRequest, congress_id: int, item_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    item = queries.access_agenda_item(congress, item_id)
    me = queries.delegate_for_user(request.user, congress)
    if request.method == "POST":
        try:
            _speaker_post(request, item)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            if not getattr(request, "htmx", False):  # the list itself shows the change
                messages.success(request, _("Done."))
        if getattr(request, "htmx", False):
            return _speakers_partial(request, congress, item, me)
        return redirect("conduct:agenda_item", congress.pk, item.pk)
    if getattr(request, "htmx", False):
        return _speakers_partial(request, congress, item, me)
    context = {
        "congress": congress,
        "item": item,
        "me": me,
        "duties": _duties(request, congress),
        "speakers": queries.speakers(item),
        "kinds": AgendaItem.Kind.choices,
    }
    return render(request, "conduct/agenda_item.html", context)


@scoped
@require_POST
def agenda_item_manage(request: HttpRequest, congress_id: int, item_id: int) -> HttpResponse:
    """The presidium edits an item, moves it in the agenda, or opens it in the hall."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    item = queries.access_agenda_item(congress, item_id)
    op = request.POST.get("op", "")
    try:
        if op == "edit":
            actions.agenda_item_edit(
                actor=request.user,
                item=item,
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", ""),
                speaking_minutes=_number(
                    request.POST.get("speaking_minutes", ""), "speaking_minutes"
                ),
            )
            messages.success(request, _("The agenda item was saved."))
        elif op == "move":
            position = _number(request.POST.get("position", ""), "position")
            actions.agenda_item_move(actor=request.user, item=item, position=position)
            messages.success(request, _("The agenda was reordered."))
            return redirect("conduct:agenda", congress.pk)
        elif op == "open":
            actions.agenda_item_open(actor=request.user, item=item)
            messages.success(request, _("The hall is now on this item."))
        else:
            raise ValidationError({"op": ValidationError(_("Unknown operation."), code="op")})
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("conduct:agenda_item", congress.pk, item.pk)


def _number(raw: str, field: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValidationError(
            {field: ValidationError(_("Give a whole number."), code="not_a_number")}
        ) from None


def _speakers_partial(
    request: HttpRequest, congress: Congress, item: AgendaItem, me: Delegate | None
) -> HttpResponse:
    context = {
        "congress": congress,
        "item": item,
        "me": me,
        "duties": _duties(request, congress),
        "speakers": queries.speakers(item),
    }
    return render(request, "conduct/_speakers.html", context)


def _speaker_post(request: HttpRequest, item: AgendaItem) -> None:
    op = request.POST.get("op", "")
    if op == "register":
        actions.speaker_request_register(
            actor=request.user, agenda_item=item, topic=request.POST.get("topic", "")
        )
        return
    try:
        request_id = int(request.POST.get("request", ""))
    except ValueError:
        raise ValidationError({"request": _("Choose a request.")}) from None
    speaker = queries.access_speaker_request(item, request_id)
    if op == "move":
        try:
            position = int(request.POST.get("position", ""))
        except ValueError:
            raise ValidationError({"position": _("Give a place in the list.")}) from None
        actions.speaker_request_move(actor=request.user, request=speaker, position=position)
    elif op in SpeakerRequest.Status.values:
        actions.speaker_request_set_status(actor=request.user, request=speaker, status=op)
    else:
        raise ValidationError({"op": _("Unknown operation.")})


@scoped
@require_GET
def delegate_page(request: HttpRequest, congress_id: int) -> HttpResponse:
    """The delegate's own page: their badge and the agenda to ask to speak on."""
    congress = queries.access_congress_by_id(request.user, congress_id)
    me = queries.delegate_for_user(request.user, congress)
    if me is None:
        raise PermissionDenied(_("You are not on the roster of this congress."))
    context = {
        "congress": congress,
        "me": me,
        "qr": documents.badge_qr(me.badge_code),
        "items": queries.agenda(congress),
    }
    return render(request, "conduct/delegate.html", context)

"""Rencontres: series, occurrences, agendas, notes, actions and attendance.

Every object comes through `visible_to`; the services decide who may change what (the
organiser moves and cancels, every participant prepares and writes up)."""

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.meetings import ical
from tisser.meetings import services as meetings
from tisser.meetings.access import access_agenda_item, access_occurrence, access_series
from tisser.meetings.models import (
    ActionItem,
    AgendaItem,
    MeetingKind,
    MeetingSeries,
    Occurrence,
)
from tisser.meetings.recurrence import rhythm_label
from tisser.peers.models import Charter, PeerGroup
from tisser.peers.rotation import facilitator_for
from tisser.www.confirmation import confirmation_asked
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.meetings.forms import (
    ActionForm,
    AgendaItemForm,
    AttendanceForm,
    NotesForm,
    OccurrenceMoveForm,
    SeriesForm,
)
from tisser.www.meetings.participants import (
    participant_choices,
    participant_picker,
    picker_query,
    picker_searching,
)

User = get_user_model()
UPCOMING_DAYS = 60
RECENT_DAYS = 45
# The meetings shown before and after now, and the series per page (issue #16).
LIST_MAX = 30
SERIES_PER_PAGE = 25


def organisable_kinds(user, membership) -> list[MeetingKind]:
    """The kinds this page offers. A mentor's meetings come with a mentorship (its space
    creates them with the mentee), so mentors do not create series here; a bilan's
    entretiens are planned from the bilan, a peer group's meetings by the group."""
    if membership is None or membership.role == Role.MENTOR:
        return []
    # A bilan entretien is planned from its bilan, where its hours count (ADR 0022).
    return [
        kind
        for kind in meetings.GENERIC_KINDS
        if meetings.can_organise(user, membership.organisation, kind)
    ]


def titles_shown(request, series_list) -> None:
    """Set `shown_title` and `shown_detail` on each series: its title and kind, except that
    a bilan's entretien, titled with its beneficiary's name for the consultant's agenda
    (« Entretien de bilan — Camille Roussel »), reads « Entretien de bilan » for the
    beneficiary: her own name tells her nothing. The only other party of an entretien is
    her consultant, whom the page names among the participants; her list tells her
    entretiens apart by their rhythm and first date.
    Reads no query (`request.memberships`)."""
    beneficiary_in = {
        membership.organisation_id
        for membership in request.memberships
        if membership.role == Role.BENEFICIARY
    }
    for series in series_list:
        beneficiary_reads = (
            series.kind == MeetingKind.BILAN_SESSION and series.organisation_id in beneficiary_in
        )
        series.shown_title = (
            str(MeetingKind.BILAN_SESSION.label) if beneficiary_reads else series.title
        )
        # « Entretien de bilan — Entretien de bilan » would not tell her two series apart:
        # their rhythm and first date do.
        if not beneficiary_reads:
            series.shown_detail = series.get_kind_display()
            continue
        first = french_date(
            timezone.localtime(series.first_start, ZoneInfo(series.timezone)), "j F Y"
        )
        series.shown_detail = (
            _("%(rhythm)s, à partir du %(first)s")
            % {"rhythm": capfirst(rhythm_label(series.rrule)), "first": first}
            if series.rrule
            else _("Rencontre unique, le %(first)s") % {"first": first}
        )


def meeting_list(request):
    """The person's meetings of the coming weeks and of the last ones (at most
    LIST_MAX of each, the nearest first: a consultant with a hundred beneficiaries has
    hundreds; their calendar feed has them all), then their series in pages."""
    now = timezone.now()
    mine = (
        Occurrence.objects.filter(series__participants__user=request.user)
        .select_related("series")
        .order_by("start", "id")
    )
    # A meeting cancelled alone stays, marked « Annulée »; those cancelled because their
    # series ended (a bilan that ended, a series stopped) are not to come any more.
    upcoming = list(
        mine.filter(end__gte=now, start__lte=now + timedelta(days=UPCOMING_DAYS)).exclude(
            status=Occurrence.Status.CANCELLED, series__ended_at__isnull=False
        )[: LIST_MAX + 1]
    )
    recent = list(
        mine.filter(end__lt=now, start__gte=now - timedelta(days=RECENT_DAYS)).order_by(
            "-start", "-id"
        )[: LIST_MAX + 1]
    )
    series = MeetingSeries.objects.filter(participants__user=request.user).order_by(
        "-created_at", "-id"
    )
    page = Paginator(series, SERIES_PER_PAGE).get_page(request.GET.get("page"))
    titles_shown(
        request,
        [occurrence.series for occurrence in upcoming + recent] + list(page.object_list),
    )
    return render(
        request,
        "www/meetings/list.html",
        {
            "upcoming": upcoming[:LIST_MAX],
            "upcoming_more": len(upcoming) > LIST_MAX,
            "recent": recent[:LIST_MAX],
            "recent_more": len(recent) > LIST_MAX,
            "list_max": LIST_MAX,
            "series_list": page.object_list,
            "series_page": page,
            "can_create": bool(organisable_kinds(request.user, request.membership)),
        },
    )


@require_http_methods(["GET", "POST"])
def series_create(request):
    """Plan a series. Its participants are chosen through the picker
    (`tisser.www.meetings.participants`): a search sends the form back with what was typed
    kept (or, with HTMX, only the picker's choices); the plan is checked against everyone the
    organiser may invite."""
    membership = request.membership
    kinds = organisable_kinds(request.user, membership)
    if not kinds:
        raise Http404
    choices = participant_choices(request.user, membership)
    data = request.POST if request.method == "POST" else request.GET
    picker = participant_picker(
        choices, query=picker_query(data), chosen_ids=data.getlist("participants")
    )
    if request.method == "GET" and request.htmx:
        return render(
            request,
            "www/meetings/_participant_choices.html",
            {"picker": picker, "picker_update": True},
        )
    if request.method == "GET" or picker_searching(request):
        initial = data.dict() | {"participants": [user.pk for user in picker.chosen]}
        form = SeriesForm(initial=initial, kinds=kinds, participants=choices)
        return _series_form(request, form, picker)
    form = SeriesForm(request.POST, kinds=kinds, participants=choices)
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            series = meetings.series_create(
                organiser=request.user,
                organisation=membership.organisation,
                kind=MeetingKind(cleaned["kind"]),
                title=cleaned["title"],
                participants=list(cleaned["participants"]),
                first_start=cleaned["first_start"],
                duration_minutes=cleaned["duration_minutes"],
                rrule=cleaned["rrule"],
                mode=cleaned["mode"],
                location=cleaned["location"],
                description=cleaned["description"],
            )
        except ValidationError as error:
            # A clash (ADR 0022) is on "first_start": next to the date.
            form_errors_apply(form, error, renames={"first_start": "date"})
        else:
            messages.success(
                request,
                _("La série « %(title)s » est créée : %(rhythm)s.")
                % {"title": series.title, "rhythm": rhythm_label(series.rrule)},
            )
            return redirect("meetings:series", series_id=series.pk)
    return _series_form(request, form, picker)


def _series_form(request, form, picker):
    return render(request, "www/meetings/series_form.html", {"form": form, "picker": picker})


def series_detail(request, series_id: int):
    series = access_series(request.user, series_id)
    titles_shown(request, [series])
    now = timezone.now()
    occurrences = series.occurrences.order_by("start", "id")
    return render(
        request,
        "www/meetings/series_detail.html",
        {
            "series": series,
            "participants": series.participants.select_related("user"),
            "rhythm": capfirst(rhythm_label(series.rrule)),
            "upcoming": occurrences.filter(end__gte=now)[:24],
            "past": occurrences.filter(end__lt=now).order_by("-start", "-id")[:24],
            "is_organiser": meetings.is_organiser(request.user, series),
        },
    )


def series_ics(request, series_id: int):
    series = access_series(request.user, series_id)
    return _calendar_response(ical.series_ics(series), f"tisser-{series.pk}.ics")


@require_POST
def series_end(request, series_id: int):
    series = access_series(request.user, series_id)
    meetings.require_organiser(request.user, series)
    asked = confirmation_asked(
        request,
        question=_("Terminer la série « %(title)s » ?") % {"title": series.title},
        consequences=[
            _(
                "Les rencontres à venir sont annulées et leurs participant·es prévenu·es ; "
                "aucune autre n'est plus planifiée."
            ),
            _("Les rencontres passées restent, avec leurs notes et les présences."),
        ],
        confirm_label=_("Oui, terminer la série"),
        cancel_url=reverse("meetings:series", args=[series.pk]),
        cancel_label=_("Non, garder la série"),
    )
    if asked is not None:
        return asked
    meetings.series_end(actor=request.user, series=series)
    messages.success(request, _("La série est terminée : les rencontres à venir sont annulées."))
    return redirect("meetings:series", series_id=series.pk)


def occurrence_detail(request, occurrence_id: int):
    occurrence = access_occurrence(request.user, occurrence_id)
    return render(request, "www/meetings/occurrence.html", occurrence_context(request, occurrence))


def occurrence_context(request, occurrence: Occurrence, **forms) -> dict:
    series = occurrence.series
    titles_shown(request, [series])
    participants = User.objects.filter(meeting_participations__series=series).order_by(
        "last_name", "first_name", "id"
    )
    is_participant = meetings.is_participant(request.user, series)
    attendances = {a.user_id: a for a in occurrence.attendances.all()}
    context = {
        "occurrence": occurrence,
        "series": series,
        "participants": [(user, attendances.get(user.pk)) for user in participants],
        "is_participant": is_participant,
        "is_organiser": meetings.is_organiser(request.user, series),
        "has_started": occurrence.start <= timezone.now(),
        "my_attendance": attendances.get(request.user.pk),
    }
    if is_participant:
        context |= {
            "agenda": occurrence.agenda.select_related("author").order_by("position", "id"),
            "rolled_over": meetings.occurrence_open_actions(occurrence).select_related("owner"),
            "actions": occurrence.actions.select_related("owner").order_by("due_on", "id"),
            "agenda_form": forms.get("agenda_form") or AgendaItemForm(),
            "notes_form": forms.get("notes_form")
            or NotesForm(
                initial={
                    "notes": occurrence.notes,
                    "decisions": occurrence.decisions,
                    "version": occurrence.version,
                }
            ),
            "action_form": forms.get("action_form") or ActionForm(participants=participants),
            "attendance_form": forms.get("attendance_form")
            or AttendanceForm(
                participants=participants,
                current={user_id: a.status for user_id, a in attendances.items()},
            ),
            "conflict": forms.get("conflict"),
        }
        if series.kind == MeetingKind.PEER_GROUP:
            context |= peer_facilitation(series, occurrence)
    return context


def peer_facilitation(series, occurrence: Occurrence) -> dict:
    """Who facilitates this meeting of a peer group: the rotation's choice among the
    members who joined (see `tisser.peers.rotation`), not the series' organiser, who only
    moves and cancels meetings."""
    group = PeerGroup.objects.filter(series=series).first()
    if group is None:
        return {}
    fixed = Charter.objects.filter(group=group, rotating_facilitator=False).exists()
    return {
        "peer_group": group,
        "facilitator": facilitator_for(group, occurrence),
        "fixed_facilitator": fixed,
    }


def occurrence_ics(request, occurrence_id: int):
    occurrence = access_occurrence(request.user, occurrence_id)
    return _calendar_response(
        ical.occurrence_ics(occurrence), f"tisser-rencontre-{occurrence.pk}.ics"
    )


@require_http_methods(["GET", "POST"])
def occurrence_move(request, occurrence_id: int):
    occurrence = access_occurrence(request.user, occurrence_id)
    if not meetings.is_organiser(request.user, occurrence.series):
        raise Http404
    local = timezone.localtime(occurrence.start)
    form = OccurrenceMoveForm(
        request.POST or None,
        initial={
            "date": local.date(),
            "start_time": local.time(),
            "duration_minutes": occurrence.duration_minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            meetings.occurrence_move(
                actor=request.user,
                occurrence=occurrence,
                start=form.cleaned_data["start"],
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as error:
            form_errors_apply(form, error, renames={"start": "date"})
        else:
            messages.success(
                request, _("La rencontre est déplacée ; les participant·es sont prévenu·es.")
            )
            return redirect("meetings:occurrence", occurrence_id=occurrence.pk)
    return render(
        request, "www/meetings/occurrence_move.html", {"occurrence": occurrence, "form": form}
    )


@require_POST
def occurrence_cancel(request, occurrence_id: int):
    occurrence = access_occurrence(request.user, occurrence_id)
    meetings.require_organiser(request.user, occurrence.series)
    asked = confirmation_asked(
        request,
        question=_("Annuler la rencontre « %(title)s » du %(date)s ?")
        % {
            "title": occurrence.series.title,
            "date": french_date(timezone.localtime(occurrence.start), "DATETIME_FORMAT"),
        },
        consequences=[
            _("Les participant·es sont prévenu·es et leur agenda la montre annulée."),
            _(
                "Une rencontre annulée ne peut pas être rétablie : il faudra en planifier "
                "une autre."
            ),
        ],
        confirm_label=_("Oui, annuler la rencontre"),
        cancel_url=reverse("meetings:occurrence", args=[occurrence.pk]),
        cancel_label=_("Non, la maintenir"),
    )
    if asked is not None:
        return asked
    try:
        meetings.occurrence_cancel(actor=request.user, occurrence=occurrence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("La rencontre est annulée ; les participant·es sont prévenu·es.")
        )
    return redirect("meetings:occurrence", occurrence_id=occurrence.pk)


@require_POST
def agenda_add(request, occurrence_id: int):
    occurrence = access_occurrence(request.user, occurrence_id)
    form = AgendaItemForm(request.POST)
    change = None
    if form.is_valid():
        try:
            item = meetings.agenda_item_add(
                actor=request.user,
                occurrence=occurrence,
                kind=AgendaItem.Kind(form.cleaned_data["kind"]),
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            form = AgendaItemForm()
            change = AgendaChange(
                _("« %(text)s » est ajouté à l'ordre du jour.") % {"text": item.text},
                focus_item_id=item.pk,
            )
    if form.errors:
        # Back to the field to correct (htmx moves focus to an element marked autofocus).
        form.fields["text"].widget.attrs["autofocus"] = True
    return _agenda_response(request, occurrence, form, change)


@require_POST
def agenda_move(request, item_id: int):
    item = access_agenda_item(request.user, item_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponse(status=400)
    meetings.agenda_item_move(actor=request.user, item=item, direction=direction)
    order = list(
        AgendaItem.objects.filter(occurrence=item.occurrence_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    position = order.index(item.pk) + 1
    # Focus stays on the button pressed; at the top (or bottom) that button is gone, so it
    # goes to the item's other move button.
    control = direction
    if direction == "up" and position == 1:
        control = "down"
    elif direction == "down" and position == len(order):
        control = "up"
    change = AgendaChange(
        _("« %(text)s » est maintenant en position %(position)s sur %(total)s.")
        % {"text": item.text, "position": position, "total": len(order)},
        focus_item_id=item.pk,
        focus_control=control,
    )
    return _agenda_response(request, item.occurrence, AgendaItemForm(), change)


@require_POST
def agenda_delete(request, item_id: int):
    item = access_agenda_item(request.user, item_id)
    occurrence = item.occurrence
    order = list(
        AgendaItem.objects.filter(occurrence=occurrence)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    text = item.text
    meetings.agenda_item_delete(actor=request.user, item=item)
    # Focus goes to the point that took its place, else the one before, else the heading.
    rest = order[:index] + order[index + 1 :]
    neighbour = rest[min(index, len(rest) - 1)] if rest else None
    change = AgendaChange(
        _("« %(text)s » est retiré de l'ordre du jour.") % {"text": text},
        focus_item_id=neighbour,
    )
    return _agenda_response(request, occurrence, AgendaItemForm(), change)


@dataclass(frozen=True)
class AgendaChange:
    """What an agenda change says (in the page's status region) and where focus goes after
    the agenda is swapped: an item (`focus_control` "item", or one of its buttons "up",
    "down"), or the agenda's heading when `focus_item_id` is None."""

    announcement: str
    focus_item_id: int | None = None
    focus_control: str = "item"


def _agenda_response(request, occurrence, form, change: AgendaChange | None = None):
    if request.htmx:
        context = occurrence_context(request, occurrence, agenda_form=form)
        context["agenda_change"] = change
        return render(request, "www/meetings/_agenda.html", context)
    if form.errors:
        context = occurrence_context(request, occurrence, agenda_form=form)
        return render(request, "www/meetings/occurrence.html", context, status=400)
    if change is not None:
        messages.success(request, change.announcement)
    return redirect("meetings:occurrence", occurrence_id=occurrence.pk)


@require_POST
def notes_save(request, occurrence_id: int):
    occurrence = access_occurrence(request.user, occurrence_id)
    form = NotesForm(request.POST)
    conflict = None
    if form.is_valid():
        try:
            meetings.occurrence_notes_save(
                actor=request.user,
                occurrence=occurrence,
                notes=form.cleaned_data["notes"],
                decisions=form.cleaned_data["decisions"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            occurrence.refresh_from_db()
            # What was typed stays; the form takes the saved version so that saving again,
            # after reading the other version, is a deliberate choice.
            conflict = form_conflict_apply(form, error)
        else:
            messages.success(request, _("Le compte rendu est enregistré."))
            return redirect("meetings:occurrence", occurrence_id=occurrence.pk)
    context = occurrence_context(request, occurrence, notes_form=form, conflict=conflict)
    return render(request, "www/meetings/occurrence.html", context, status=409 if conflict else 400)


@require_POST
def action_add(request, occurrence_id: int):
    occurrence = access_occurrence(request.user, occurrence_id)
    participants = User.objects.filter(meeting_participations__series=occurrence.series)
    form = ActionForm(request.POST, participants=participants)
    if form.is_valid():
        try:
            meetings.action_create(
                actor=request.user,
                occurrence=occurrence,
                owner=form.cleaned_data["owner"],
                text=form.cleaned_data["text"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("L'action est ajoutée."))
            return redirect("meetings:occurrence", occurrence_id=occurrence.pk)
    context = occurrence_context(request, occurrence, action_form=form)
    return render(request, "www/meetings/occurrence.html", context, status=400)


@require_POST
def action_toggle(request, action_id: int):
    action = get_object_or_404(
        ActionItem.objects.filter(series__in=MeetingSeries.objects.visible_to(request.user)),
        pk=action_id,
    )
    if action.done_at:
        meetings.action_reopen(actor=request.user, action=action)
    else:
        meetings.action_complete(actor=request.user, action=action)
    # A rolled-over action is ticked from a later meeting's page: go back there.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("meetings:occurrence", occurrence_id=action.occurrence_id)


@require_POST
def attendance_record(request, occurrence_id: int):
    occurrence = access_occurrence(request.user, occurrence_id)
    participants = User.objects.filter(meeting_participations__series=occurrence.series)
    form = AttendanceForm(request.POST, participants=participants, current={})
    if form.is_valid():
        try:
            for user in participants:
                status = form.statuses().get(user.pk)
                if status:
                    meetings.attendance_record(
                        actor=request.user, occurrence=occurrence, user=user, status=status
                    )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Les présences sont enregistrées."))
    return redirect("meetings:occurrence", occurrence_id=occurrence.pk)


@require_POST
def attendance_confirm(request, occurrence_id: int):
    occurrence = access_occurrence(request.user, occurrence_id)
    try:
        meetings.attendance_confirm(actor=request.user, occurrence=occurrence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Votre présence est confirmée. Merci !"))
    return redirect("meetings:occurrence", occurrence_id=occurrence.pk)


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

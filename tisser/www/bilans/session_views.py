"""The entretiens of a bilan: the consultant's list with their private notes, the
beneficiary's list with their émargement.

The entretien itself is a meetings occurrence: its shared summary and attendance are on the
meeting page, linked from each line. Bilans come through `Bilan.objects.visible_to`
narrowed to the person's part in it; the private notes through `SessionNote.objects
.visible_to` (the consultant only). Anyone else gets a 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tisser.accounts.models import User
from tisser.bilans import services as bilans
from tisser.bilans.access import access_bilan, access_bilan_run
from tisser.bilans.models import Phase, SessionNote
from tisser.core.errors import StaleVersion
from tisser.meetings.models import Attendance, Occurrence
from tisser.meetings.services.attendance import CONFIRMATION_WINDOW
from tisser.www.bilans.followup_forms import SessionNoteForm
from tisser.www.forms import form_conflict_apply


def _can_confirm(occurrence: Occurrence, now) -> bool:
    return (
        occurrence.status == Occurrence.Status.SCHEDULED
        and occurrence.start <= now <= occurrence.end + CONFIRMATION_WINDOW
        and occurrence.attendance_confirmed_at is None
    )


@require_GET
def sessions(request, bilan_id: int):
    """Every entretien of the bilan: date, time, duration, mode, status, émargement, the
    meeting page (shared summary), and for the consultant their private notes."""
    bilan = access_bilan(request.user, bilan_id)
    is_consultant = bilan.consultant_id == request.user.pk
    entretiens = bilans.bilan_entretiens(bilan)
    if is_consultant:
        entretiens = entretiens.select_related("private_note")
    entretiens = list(entretiens)
    # Who confirmed each entretien on the consultant's side, and who noted the person's
    # presence: after a hand-over, the former consultant's confirmations stay theirs (named),
    # one query for all the names. The viewer is « vous ».
    named_ids = {
        occurrence.consultant_confirmed_by_id
        for occurrence in entretiens
        if occurrence.consultant_confirmed_at and occurrence.consultant_confirmed_by_id
    } | {occurrence.attendance_recorded_by_id for occurrence in entretiens}
    names = {
        user.pk: user.get_full_name() or user.email
        for user in User.objects.filter(pk__in=named_ids - {None, request.user.pk}).only(
            "first_name", "last_name", "email"
        )
    }
    now = timezone.now()
    bilan_open = bilan.status != Phase.CLOSED
    rows = [
        {
            "occurrence": occurrence,
            "attendance_label": occurrence.attendance_status
            and Attendance.Status(occurrence.attendance_status).label,
            "is_past": occurrence.end <= now,
            "can_confirm": not is_consultant and _can_confirm(occurrence, now),
            "can_consultant_confirm": is_consultant
            and bilan_open
            and occurrence.status == Occurrence.Status.SCHEDULED
            and occurrence.start <= now
            and occurrence.consultant_confirmed_at is None
            and occurrence.attendance_status in (None, Attendance.Status.PRESENT),
            "note": getattr(occurrence, "private_note", None) if is_consultant else None,
            # Empty when the viewer confirmed it ("par vous").
            "confirmed_by": names.get(occurrence.consultant_confirmed_by_id, ""),
            "noted_by_viewer": occurrence.attendance_recorded_by_id == request.user.pk,
            "noted_by": names.get(occurrence.attendance_recorded_by_id, ""),
        }
        for occurrence in entretiens
    ]
    return render(
        request,
        "www/bilans/sessions.html",
        {
            "bilan": bilan,
            "rows": rows,
            "is_consultant": is_consultant,
            "bilan_open": bilan_open,
            "hours": bilans.bilan_hours(bilan),
        },
    )


@require_http_methods(["GET", "POST"])
def session_note(request, bilan_id: int, occurrence_id: int):
    """The consultant's private notes on one entretien, version-checked: when they were
    saved elsewhere meanwhile, both texts are shown and nothing is overwritten."""
    bilan = access_bilan_run(request.user, bilan_id)
    occurrence = get_object_or_404(bilans.bilan_entretiens(bilan), pk=occurrence_id)
    note = SessionNote.objects.visible_to(request.user).filter(occurrence=occurrence).first()
    conflict = None
    if request.method == "POST":
        form = SessionNoteForm(request.POST)
        if form.is_valid():
            try:
                bilans.session_note_save(
                    consultant=request.user,
                    bilan=bilan,
                    occurrence=occurrence,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleVersion as error:
                # What was typed stays; the form takes the saved version so that saving
                # again, after reading the other text, is a deliberate choice.
                conflict = form_conflict_apply(form, error)
            else:
                messages.success(request, _("Vos notes privées sont enregistrées."))
                url = reverse("bilans:sessions", args=[bilan.pk])
                return redirect(f"{url}#entretien-{occurrence.pk}")
    else:
        form = SessionNoteForm(
            initial={"text": note.text if note else "", "version": note.version if note else 0}
        )
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "www/bilans/session_note.html",
        {
            "bilan": bilan,
            "occurrence": occurrence,
            "note": note,
            "form": form,
            "conflict": conflict,
        },
        status=status,
    )

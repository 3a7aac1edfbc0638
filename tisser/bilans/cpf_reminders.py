"""Reminders of the CPF declarations, planned once a day (task `bilans_cpf_remind`, queued
by `manage.py notifications_run`): on the last working day but one before an entry or exit
deadline, and on the deadline's day, the bilan's consultant and the organisation's
coordinators are told, in the app and by e-mail unless they turned e-mail reminders off,
that the declaration is still to be made on EDOF.

The idempotency key names the bilan, the step, the deadline, the recipient and the channel:
each reminder leaves once, and a deadline moved (a corrected entry day) is reminded again."""

from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tisser.accounts.job_scope import Batch, batch_cut, batches_every
from tisser.accounts.models import User
from tisser.bilans.models import Bilan, Funding
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.services.cpf import CpfSummary, Deadline, State, Step, cpf_summary
from tisser.core.dates import french_date
from tisser.core.french import de
from tisser.notifications.content import Content, absolute_url
from tisser.notifications.models import Channel
from tisser.notifications.services import (
    PlannedNotification,
    channels_for,
    notifications_bulk_get_or_create,
)

# A reminder when one working day or none is left before the deadline.
REMIND_WORKING_DAYS = 1


def _language(recipient: User) -> str:
    return recipient.preferred_language or settings.LANGUAGE_CODE


def cpf_deadline_content(
    *, summary: CpfSummary, deadline: Deadline, recipient: User, channel: str, path: str
) -> Content:
    bilan = summary.bilan
    name = bilan.beneficiary.get_full_name() or bilan.beneficiary.email
    with translation.override(_language(recipient)):
        when = french_date(deadline.due_on, "l j F Y")
        if deadline.step == Step.ENTRY:
            subject = _(
                "CPF : déclarer l'entrée en formation %(de_name)s au plus tard le %(when)s"
            ) % {"de_name": de(name), "when": when}
        else:
            subject = _(
                "CPF : déclarer la sortie et le service fait %(de_name)s au plus tard le %(when)s"
            ) % {"de_name": de(name), "when": when}
        body = (
            render_to_string(
                "emails/notifications/cpf_deadline.txt",
                {
                    "recipient": recipient,
                    "email": channel == Channel.EMAIL,
                    "preferences_link": absolute_url(reverse("notifications:preferences")),
                    "name": name,
                    "de_name": de(name),
                    "when": when,
                    "entry": deadline.step == Step.ENTRY,
                    "number": summary.dossier.number if summary.dossier else "",
                    "link": absolute_url(path),
                },
            ).strip()
            + "\n"
        )
    return Content(subject=subject, body=body, url=path)


def _due_soon(deadline: Deadline) -> bool:
    left = deadline.working_days_left
    return deadline.state == State.DUE and left is not None and left <= REMIND_WORKING_DAYS


def _planned(summary: CpfSummary, due: list[Deadline], recipients: list[User]):
    bilan = summary.bilan
    for deadline in due:
        for recipient in recipients:
            if recipient.pk == bilan.consultant_id:
                path = reverse("bilans:cpf_dossier", args=[bilan.pk])
            else:
                path = reverse("coordinator:cpf_dossier", args=[bilan.pk])
            for channel in channels_for(recipient):
                yield PlannedNotification(
                    recipient=recipient,
                    channel=channel,
                    kind=BilanNotice.CPF_DEADLINE,
                    idempotency_key=(
                        f"cpf:{deadline.step}:{deadline.due_on:%Y%m%d}:bilan{bilan.pk}"
                        f":user{recipient.pk}:{channel}"
                    ),
                    content=partial(
                        cpf_deadline_content,
                        summary=summary,
                        deadline=deadline,
                        recipient=recipient,
                        channel=channel,
                        path=path,
                    ),
                    scheduled_for=timezone.now(),
                    about=bilan,
                )


# Bilans a batch (`tisser.accounts.job_scope`): a bilan due calls for at most two deadlines
# for its consultant and the coordinators on two channels, which stays within one outbox batch.
CPF_BATCH = 100


def cpf_reminders_batch(
    *, organisation_id: int, after: int | None = None, today: date | None = None
) -> Batch:
    """One batch of `cpf_reminders_plan`: the CPF_BATCH CPF bilans of the organisation after
    the bilan `after`, open or ended in the last 30 days. At most five queries whatever the
    batch holds: the bilans with their dossiers, the coordinators (when a deadline is due), the
    keys already queued and one INSERT."""
    today = today or timezone.localdate()
    recent = timezone.now() - timedelta(days=30)
    bilans = Bilan.objects.filter(organisation_id=organisation_id, funding=Funding.CPF).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=recent)
    )
    if after is not None:
        bilans = bilans.filter(pk__gt=after)
    bilans, cursor = batch_cut(
        list(
            bilans.select_related(
                "cpf_dossier", "beneficiary", "consultant__notification_preference"
            ).order_by("pk")[: CPF_BATCH + 1]
        ),
        CPF_BATCH,
    )
    coordinators: list[User] | None = None

    def planned():
        nonlocal coordinators
        for bilan in bilans:
            summary = cpf_summary(bilan, today=today)
            due = [deadline for deadline in summary.deadlines if _due_soon(deadline)]
            if not due:
                continue
            if coordinators is None:
                coordinators = list(
                    User.objects.coordinators_of(organisation_id).select_related(
                        "notification_preference"
                    )
                )
            recipients = [bilan.consultant] if bilan.consultant.is_active else []
            recipients += [user for user in coordinators if user.pk != bilan.consultant_id]
            yield from _planned(summary, due, recipients)

    return Batch(notifications_bulk_get_or_create(planned()), cursor)


def cpf_reminders_plan(*, today: date | None = None, organisation_id: int | None = None) -> int:
    """Queue the reminders of CPF declarations due today or on the next working day, for the
    bilans of `organisation_id` (of every organisation, one after the other, when None), batch
    after batch. Returns how many notifications were created; running it again creates none."""
    today = today or timezone.localdate()
    return batches_every(partial(cpf_reminders_batch, today=today), organisation_id)

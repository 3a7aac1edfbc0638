"""What the bilan's follow-up messages say (outbox notifications): the proposed follow-up
interview, the satisfaction questionnaire and the isolation check to take again. Subjects
are gettext strings, bodies templates under `emails/notifications/`, in the recipient's
language; the e-mail alone gets the greeting and the signature."""

from datetime import date, datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.dates import french_date
from tisser.core.french import de
from tisser.notifications.content import Content, absolute_url
from tisser.notifications.models import Channel


def _render(template: str, recipient: User, channel: str, **context) -> str:
    context |= {
        "recipient": recipient,
        "email": channel == Channel.EMAIL,
        "preferences_link": absolute_url(reverse("notifications:preferences")),
    }
    return render_to_string(f"emails/notifications/{template}.txt", context).strip() + "\n"


def _language(recipient: User) -> str:
    return recipient.preferred_language or settings.LANGUAGE_CODE


def followup_proposed_content(
    *,
    bilan_id: int,
    start: datetime,
    mode_label: str,
    message: str,
    recipient: User,
    channel: str,
    consultant_name: str = "",
) -> Content:
    path = reverse("bilans:followup", args=[bilan_id])
    with translation.override(_language(recipient)):
        when = french_date(timezone.localtime(start), "l j F Y, H:i")
        if consultant_name:
            subject = _("%(name)s vous propose un entretien de suivi le %(when)s") % {
                "name": consultant_name,
                "when": when,
            }
        else:
            subject = _("Un entretien de suivi vous est proposé le %(when)s") % {"when": when}
        body = _render(
            "followup_proposed",
            recipient,
            channel,
            name=consultant_name,
            when=when,
            mode=mode_label,
            message=message,
            link=absolute_url(path),
        )
    return Content(subject=subject, body=body, url=path)


def satisfaction_reminder_content(
    *, bilan_id: int, slug: str, six_months: bool, recipient: User, channel: str
) -> Content:
    path = reverse("bilans:satisfaction", args=[bilan_id, slug])
    with translation.override(_language(recipient)):
        if six_months:
            subject = _("Six mois après votre bilan : votre avis nous intéresse")
        else:
            subject = _("Votre avis sur votre bilan de compétences")
        body = _render(
            "satisfaction_reminder",
            recipient,
            channel,
            six_months=six_months,
            link=absolute_url(path),
        )
    return Content(subject=subject, body=body, url=path)


def isolation_check_reminder_content(
    *, moment: str, moment_label: str, recipient: User, channel: str
) -> Content:
    # The form opens with this moment chosen.
    path = f"{reverse('assessments:isolation_start')}?moment={moment}"
    with translation.override(_language(recipient)):
        subject = _("Refaire le point sur votre isolement (%(moment)s)") % {"moment": moment_label}
        body = _render(
            "isolation_check_reminder",
            recipient,
            channel,
            moment=moment_label,
            link=absolute_url(path),
        )
    return Content(subject=subject, body=body, url=path)


def convention_deadline_content(
    *,
    bilan_id: int,
    deadline: date,
    for_beneficiary: bool,
    beneficiary_name: str,
    recipient: User,
    channel: str,
) -> Content:
    """The convention's signing deadline nears (R6313-8): the beneficiary reads where to
    accept it, their consultant which bilan waits."""
    path = reverse("bilans:mine") if for_beneficiary else reverse("bilans:detail", args=[bilan_id])
    with translation.override(_language(recipient)):
        day = french_date(deadline, "l j F Y")
        if for_beneficiary:
            subject = _("Convention de bilan : à signer au plus tard le %(day)s") % {"day": day}
        else:
            subject = _("Convention %(de_name)s : signature attendue au plus tard le %(day)s") % {
                "de_name": de(beneficiary_name),
                "day": day,
            }
        body = _render(
            "convention_deadline",
            recipient,
            channel,
            day=day,
            for_beneficiary=for_beneficiary,
            name=beneficiary_name,
            de_name=de(beneficiary_name),
            link=absolute_url(path),
        )
    return Content(subject=subject, body=body, url=path)

"""The notice the questionnaires app sends: a person asks their consultant to talk about a
hard situation at work (docs/adr/0020-safety-net.md). Its text never carries what the person
wrote; a notice whose request was withdrawn before it left is cancelled."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.assessments.models import SafetyConcern
from tisser.notifications import kinds

# The notice's idempotency key, "safety:concern<pk>:<channel>" (see `services.safety`).
KEY_PATTERN = re.compile(r"^safety:concern(?P<pk>\d+):")


class AssessmentNotice(models.TextChoices):
    SAFETY_CONCERN = "safety_concern", _("Une personne souhaite vous parler")


def safety_concern_key_prefix(concern_id: int) -> str:
    return f"safety:concern{concern_id}:"


def safety_concern_cancel_reason(notification, *, now) -> str:
    """ "withdrawn" once the request it announces is gone (withdrawn or expired)."""
    match = KEY_PATTERN.match(notification.idempotency_key)
    if match is None:
        return "withdrawn"
    standing = getattr(notification, "concern_stands", None)
    if standing is None:
        standing = SafetyConcern.objects.filter(pk=int(match["pk"])).exists()
    return "" if standing else "withdrawn"


def safety_concerns_prepare(notifications) -> None:
    """Whether the request of each notice of a batch still stands, in one query."""
    wanted = {
        n.pk: int(match["pk"])
        for n in notifications
        if (match := KEY_PATTERN.match(n.idempotency_key)) is not None
    }
    standing = set(
        SafetyConcern.objects.filter(pk__in=set(wanted.values())).values_list("pk", flat=True)
    )
    for notification in notifications:
        if notification.pk in wanted:
            notification.concern_stands = wanted[notification.pk] in standing


kinds.register(
    AssessmentNotice,
    cancel_reason=safety_concern_cancel_reason,
    prepare=safety_concerns_prepare,
)

"""The satisfaction questionnaire (Qualiopi indicator 30): the beneficiary answers it once
at the end of the bilan and once six months later (see `tisser.bilans.satisfaction`)."""

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.timezone import localtime, now
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.bilans import satisfaction
from tisser.bilans.models import Bilan, Phase, SatisfactionMoment, SatisfactionResponse
from tisser.core.audit import audit_record
from tisser.core.dates import french_date

SIX_MONTHS = relativedelta(months=6)


def satisfaction_opens_at(bilan: Bilan, moment: SatisfactionMoment | str) -> datetime | None:
    """When the questionnaire of `moment` opens: the end of the bilan, or six months
    after it. None while the bilan is not closed."""
    if bilan.status != Phase.CLOSED or bilan.closed_at is None:
        return None
    if moment == SatisfactionMoment.END:
        return bilan.closed_at
    return bilan.closed_at + SIX_MONTHS


@dataclass(frozen=True)
class SatisfactionStep:
    moment: SatisfactionMoment
    opens_at: datetime | None
    is_open: bool
    answered_at: datetime | None

    @property
    def slug(self) -> str:
        return satisfaction.MOMENT_SLUGS[self.moment]


def satisfaction_steps(bilan: Bilan, *, at: datetime | None = None) -> list[SatisfactionStep]:
    """Both moments of the questionnaire for `bilan`: when each opens, whether it can be
    answered now, and when it was answered."""
    at = at or now()
    answered = dict(
        SatisfactionResponse.objects.filter(bilan=bilan).values_list("moment", "created_at")
    )
    steps = []
    for moment in SatisfactionMoment:
        opens_at = satisfaction_opens_at(bilan, moment)
        steps.append(
            SatisfactionStep(
                moment=moment,
                opens_at=opens_at,
                is_open=opens_at is not None and opens_at <= at and moment not in answered,
                answered_at=answered.get(moment),
            )
        )
    return steps


def _answer_errors(answers: dict[str, int]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def bad(value, low, high) -> bool:
        return isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high

    for item in satisfaction.ITEMS:
        value = answers.get(item.id)
        if value is None:
            errors[item.id] = [_("Choisissez une réponse pour cette affirmation.")]
        elif bad(value, satisfaction.SCALE_MIN, satisfaction.SCALE_MAX):
            errors[item.id] = [_("Choisissez une réponse entre 1 et 5.")]
    value = answers.get(satisfaction.RECOMMENDATION)
    if value is None or bad(
        value, satisfaction.RECOMMENDATION_MIN, satisfaction.RECOMMENDATION_MAX
    ):
        errors[satisfaction.RECOMMENDATION] = [_("Choisissez une note de 0 à 10.")]
    return errors


def satisfaction_respond(
    *,
    beneficiary: User,
    bilan: Bilan,
    moment: SatisfactionMoment | str,
    answers: dict[str, int],
    comment: str = "",
) -> SatisfactionResponse:
    """Record the beneficiary's answers for `moment` (the bilan's beneficiary only:
    PermissionDenied otherwise). The questionnaire must be open (see
    `satisfaction_opens_at`) and not answered yet for that moment; every item needs an
    answer from 1 to 5 and the recommendation a score from 0 to 10 (ValidationError keyed
    by item id otherwise). Audited without the answers."""
    if not (beneficiary.is_authenticated and beneficiary.pk == bilan.beneficiary_id):
        raise PermissionDenied
    if moment not in SatisfactionMoment.values:
        raise ValidationError(_("Moment inconnu."), code="moment")
    moment = SatisfactionMoment(moment)
    opens_at = satisfaction_opens_at(bilan, moment)
    if opens_at is None:
        raise ValidationError(
            _("Le questionnaire de satisfaction s'ouvre à la fin du bilan."), code="not_closed"
        )
    if opens_at > now():
        raise ValidationError(
            _("Ce questionnaire s'ouvrira le %(date)s.")
            % {"date": french_date(localtime(opens_at))},
            code="not_yet",
        )
    errors = _answer_errors(answers)
    if len(comment) > satisfaction.COMMENT_MAX_LENGTH:
        errors["comment"] = [
            _("Votre commentaire dépasse %(max)s caractères.")
            % {"max": satisfaction.COMMENT_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    already = ValidationError(
        _("Vous avez déjà répondu à ce questionnaire. Merci !"), code="answered"
    )
    kept = (*satisfaction.ITEM_IDS, satisfaction.RECOMMENDATION)
    try:
        with transaction.atomic():
            if SatisfactionResponse.objects.filter(bilan=bilan, moment=moment).exists():
                raise already
            response = SatisfactionResponse.objects.create(
                bilan=bilan,
                moment=moment,
                version=satisfaction.VERSION,
                answers={key: answers[key] for key in kept},
                comment=comment.strip(),
                created_by=beneficiary,
            )
            audit_record(
                actor=beneficiary,
                action="satisfaction.respond",
                target=response,
                organisation=bilan.organisation,
                data={"bilan_id": bilan.pk, "moment": str(moment), "version": satisfaction.VERSION},
            )
    except IntegrityError:
        # Two submissions at once: the unique constraint keeps the first.
        raise already from None
    return response

"""Appraisals by the stakeholders (Qualiopi indicator 30, issue #18): the questionnaires the
coordinator edits, the e-mail links sent to employers and funders, their answers and the
consultants' own appraisal of each bilan. The only writers of `quality.models.appraisals`.

The link's secret: the invitation row is created with the hash of a secret nobody knows; the
e-mail task calls `appraisal_link_issue`, which draws the real secret, stores its SHA-256 and
hands the raw token back to be put in the e-mail at once — the task's arguments hold the
invitation's id only, and the raw token is in no table, queue or log (like
`accounts.services.invitation_link_issue`, ADR 0010). The link works once, for
LINK_DAYS days."""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, Organisation, User
from tisser.bilans.models import Bilan, Phase
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump
from tisser.quality.models import (
    INVITED_AUDIENCES,
    Appraisal,
    AppraisalAnswer,
    AppraisalInvitation,
    Audience,
    Question,
    QuestionKind,
    Questionnaire,
    appraisal_token_hash,
)

LINK_DAYS = 30
TEXT_MAX = 2000
STALE_MESSAGE = gettext_lazy(
    "Le questionnaire a été modifié entre-temps (par vous dans un autre onglet ou par une autre "
    "personne). Voici son état actuel : refaites votre modification si elle est toujours utile."
)

# The questions of a new organisation's questionnaires (the coordinator edits them freely).
DEFAULT_QUESTIONS: dict[str, tuple[tuple[str, Any], ...]] = {
    Audience.EMPLOYER: (
        (
            QuestionKind.RATING,
            gettext_lazy("Le bilan a-t-il répondu aux attentes exprimées lors de la convention ?"),
        ),
        (QuestionKind.RATING, gettext_lazy("Qualité des échanges avec l'organisme")),
        (
            QuestionKind.RATING,
            gettext_lazy("Clarté des informations reçues avant et pendant le bilan"),
        ),
        (
            QuestionKind.YES_NO,
            gettext_lazy("Recommanderiez-vous notre organisme pour un autre bilan ?"),
        ),
        (QuestionKind.TEXT, gettext_lazy("Vos remarques et suggestions")),
    ),
    Audience.FUNDER: (
        (
            QuestionKind.RATING,
            gettext_lazy("Respect des conditions de prise en charge et des délais"),
        ),
        (
            QuestionKind.RATING,
            gettext_lazy("Qualité et complétude des documents transmis (convention, attestations)"),
        ),
        (QuestionKind.RATING, gettext_lazy("Qualité des échanges avec l'organisme")),
        (
            QuestionKind.YES_NO,
            gettext_lazy("Avez-vous relevé une difficulté dans le déroulement de ce bilan ?"),
        ),
        (QuestionKind.TEXT, gettext_lazy("Vos observations sur notre activité")),
    ),
    Audience.CONSULTANT: (
        (
            QuestionKind.RATING,
            gettext_lazy("Les objectifs fixés en phase préliminaire ont-ils été atteints ?"),
        ),
        (
            QuestionKind.RATING,
            gettext_lazy(
                "Les outils et les ressources mis à votre disposition étaient-ils adaptés ?"
            ),
        ),
        (
            QuestionKind.RATING,
            gettext_lazy("L'engagement de la personne tout au long du bilan"),
        ),
        (QuestionKind.YES_NO, gettext_lazy("Le bilan a-t-il dû être adapté en cours de route ?")),
        (QuestionKind.TEXT, gettext_lazy("Ce qui serait à améliorer pour les prochains bilans")),
    ),
}


class AppraisalLinkUnknown(Exception):
    """No invitation has this link (mistyped, or replaced by a newer e-mail)."""


class AppraisalLinkGone(Exception):
    """The link was used or has expired."""

    def __init__(self, invitation: AppraisalInvitation):
        super().__init__(invitation.pk)
        self.invitation = invitation


# --- Questionnaires ------------------------------------------------------------------------


def questionnaire_of(*, organisation: Organisation | int, audience: str) -> Questionnaire:
    """The questionnaire of `audience` for `organisation`, created with the default questions
    on first use (two first uses at once: the second reads the first's)."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    found = Questionnaire.objects.filter(organisation_id=organisation_id, audience=audience).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            questionnaire = Questionnaire.objects.create(
                organisation_id=organisation_id, audience=audience
            )
            Question.objects.bulk_create(
                Question(questionnaire=questionnaire, kind=kind, text=str(text), position=index)
                for index, (kind, text) in enumerate(DEFAULT_QUESTIONS[audience], start=1)
            )
    except IntegrityError:
        return Questionnaire.objects.get(organisation_id=organisation_id, audience=audience)
    return questionnaire


def questions_asked(questionnaire: Questionnaire) -> list[Question]:
    """The questions asked now, in their order."""
    return list(questionnaire.questions.filter(retired_at__isnull=True).order_by("position", "pk"))


def _text_clean(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("Écrivez la question.")})
    if len(text) > 300:
        raise ValidationError({"text": _("Une question tient en 300 caractères au plus.")})
    return text


def _edit(coordinator: User, questionnaire: Questionnaire, expected_version: int) -> None:
    require_coordinator_of(coordinator, questionnaire.organisation_id)
    version_bump(questionnaire, expected=expected_version, message=STALE_MESSAGE)


def question_add(
    *,
    coordinator: User,
    questionnaire: Questionnaire,
    expected_version: int,
    kind: str,
    text: str,
) -> Question:
    """Add a question at the end of `questionnaire`."""
    text = _text_clean(text)
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choisissez le type de réponse.")})
    with transaction.atomic():
        _edit(coordinator, questionnaire, expected_version)
        last = questionnaire.questions.aggregate(last=Max("position"))["last"] or 0
        question = Question.objects.create(
            questionnaire=questionnaire, kind=kind, text=text, position=last + 1
        )
        audit_record(
            actor=coordinator,
            action="appraisal.question_add",
            target=question,
            organisation=questionnaire.organisation,
            data={"audience": questionnaire.audience},
        )
    return question


def question_reword(
    *, coordinator: User, question: Question, expected_version: int, text: str
) -> Question:
    """Change a question's wording. Earlier answers keep the wording they answered."""
    text = _text_clean(text)
    questionnaire = question.questionnaire
    with transaction.atomic():
        _edit(coordinator, questionnaire, expected_version)
        before = question.text
        question.text = text
        question.save(update_fields=["text"])
        audit_record(
            actor=coordinator,
            action="appraisal.question_reword",
            target=question,
            organisation=questionnaire.organisation,
            data={"before": before, "after": text},
        )
    return question


def question_move(
    *, coordinator: User, question: Question, expected_version: int, up: bool
) -> None:
    """Swap a question with the one asked before it (`up`) or after it."""
    questionnaire = question.questionnaire
    with transaction.atomic():
        _edit(coordinator, questionnaire, expected_version)
        asked = questions_asked(questionnaire)
        ids = [q.pk for q in asked]
        if question.pk not in ids:
            return
        index = ids.index(question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(asked):
            return
        asked[index], asked[other] = asked[other], asked[index]
        for position, item in enumerate(asked, start=1):
            item.position = position
        Question.objects.bulk_update(asked, ["position"])
        audit_record(
            actor=coordinator,
            action="appraisal.question_move",
            target=question,
            organisation=questionnaire.organisation,
        )


def question_retire(*, coordinator: User, question: Question, expected_version: int) -> None:
    """Stop asking a question; its answers stay. The last question asked stays."""
    questionnaire = question.questionnaire
    with transaction.atomic():
        _edit(coordinator, questionnaire, expected_version)
        if question.retired_at is not None:
            return
        if len(questions_asked(questionnaire)) <= 1:
            raise ValidationError(_("Un questionnaire garde au moins une question."))
        question.retired_at = timezone.now()
        question.save(update_fields=["retired_at"])
        audit_record(
            actor=coordinator,
            action="appraisal.question_retire",
            target=question,
            organisation=questionnaire.organisation,
        )


# --- Answers -------------------------------------------------------------------------------


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _answers_clean(questions: list[Question], answers: Mapping[str, Any]) -> list[AppraisalAnswer]:
    """One AppraisalAnswer (not saved) per question asked, from `answers` keyed by
    `field_name`: a note from 1 to 5 and a yes/no are required, a free text is not. A
    ValidationError naming each field otherwise."""
    errors: dict[str, str] = {}
    built = []
    for question in questions:
        name = field_name(question)
        value = answers.get(name)
        answer = AppraisalAnswer(question=question, question_text=question.text, kind=question.kind)
        if question.kind == QuestionKind.RATING:
            try:
                rating = int(value) if value not in (None, "") else None
            except (TypeError, ValueError):
                rating = None
            if rating is None or not 1 <= rating <= 5:
                errors[name] = _("Choisissez une note de 1 à 5.")
                continue
            answer.rating = rating
        elif question.kind == QuestionKind.YES_NO:
            if value in (True, "yes", "oui"):
                answer.yes = True
            elif value in (False, "no", "non"):
                answer.yes = False
            else:
                errors[name] = _("Répondez par oui ou par non.")
                continue
        else:
            text = str(value or "").strip()
            if len(text) > TEXT_MAX:
                errors[name] = _("Votre réponse tient en %(max)s caractères au plus.") % {
                    "max": TEXT_MAX
                }
                continue
            answer.text = text
        built.append(answer)
    if errors:
        raise ValidationError(errors)
    return built


def _appraisal_save(
    *,
    bilan: Bilan,
    audience: str,
    questionnaire: Questionnaire,
    answers: list[AppraisalAnswer],
    respondent_key: str,
    invitation: AppraisalInvitation | None = None,
    respondent: User | None = None,
) -> Appraisal:
    appraisal = Appraisal.objects.create(
        organisation_id=bilan.organisation_id,
        bilan=bilan,
        audience=audience,
        invitation=invitation,
        respondent=respondent,
        respondent_key=respondent_key,
        questionnaire_version=questionnaire.version,
    )
    for answer in answers:
        answer.appraisal = appraisal
    AppraisalAnswer.objects.bulk_create(answers)
    return appraisal


# --- Invitations by e-mail (employers, funders) ---------------------------------------------


def may_invite(user: User, bilan: Bilan, audience: str) -> bool:
    """A coordinator of the bilan's organisation invites anyone; the consultant who runs a
    bilan with a tripartite convention invites its employer (whose name the convention
    holds)."""
    if Membership.objects.is_coordinator_of(user, bilan.organisation_id):
        return True
    return (
        audience == Audience.EMPLOYER
        and bilan.consultant_id == user.pk
        and hasattr(bilan, "convention")
    )


@dataclass(frozen=True)
class InvitationDraft:
    audience: str
    email: str
    recipient_name: str = ""


def appraisal_invitation_create(
    *, actor: User, bilan: Bilan, draft: InvitationDraft
) -> AppraisalInvitation:
    """Ask `draft.email` (an employer or a funder) for its appraisal of `bilan`. The e-mail
    leaves after commit, with a link created by the task that sends it."""
    from tisser.quality.tasks import appraisal_email_send

    if draft.audience not in INVITED_AUDIENCES:
        raise ValidationError({"audience": _("Choisissez l'employeur ou le financeur.")})
    if not may_invite(actor, bilan, draft.audience):
        raise PermissionDenied
    email = draft.email.strip().lower()
    with transaction.atomic():
        now = timezone.now()
        invitation = AppraisalInvitation(
            organisation_id=bilan.organisation_id,
            bilan=bilan,
            audience=draft.audience,
            email=email,
            recipient_name=draft.recipient_name.strip(),
            # The hash of a secret nobody knows: no link works until the task issues one.
            token_hash=appraisal_token_hash(secrets.token_urlsafe(32)),
            created_at=now,
            created_by=actor,
            expires_at=now + timedelta(days=LINK_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        audit_record(
            actor=actor,
            action="appraisal.invite",
            target=invitation,
            organisation=bilan.organisation,
            data={"audience": draft.audience, "bilan": bilan.pk},
        )
        invitation_id = invitation.pk
        transaction.on_commit(lambda: appraisal_email_send.enqueue(invitation_id=invitation_id))
    return invitation


def appraisal_link_issue(*, invitation_id: int) -> tuple[AppraisalInvitation, str] | None:
    """Give a pending invitation a new secret and return it with the raw token, to be put in
    the e-mail at once: only its SHA-256 is stored (a previous link of it stops working).
    None when the invitation was answered or has expired."""
    with transaction.atomic():
        invitation = (
            AppraisalInvitation.objects.select_for_update()
            .select_related("organisation", "bilan__beneficiary")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.status != AppraisalInvitation.Status.SENT:
            return None
        raw_token = secrets.token_urlsafe(32)
        invitation.token_hash = appraisal_token_hash(raw_token)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["token_hash", "sent_at"])
    return invitation, raw_token


def appraisal_invitation_resolve(*, raw_token: str) -> AppraisalInvitation:
    """The invitation whose link this is, still usable: AppraisalLinkUnknown when none,
    AppraisalLinkGone when answered or expired."""
    invitation = (
        AppraisalInvitation.objects.select_related("organisation", "bilan__beneficiary")
        .filter(token_hash=appraisal_token_hash(raw_token))
        .first()
    )
    if invitation is None:
        raise AppraisalLinkUnknown
    if invitation.status != AppraisalInvitation.Status.SENT:
        raise AppraisalLinkGone(invitation)
    return invitation


def appraisal_answer_by_link(*, raw_token: str, answers: Mapping[str, Any]) -> Appraisal:
    """Record the answers given from an invitation's link, which then stops working. The
    questions are those asked now (the form was built from them; a question retired meanwhile
    is ignored, one added meanwhile is asked again)."""
    invitation = appraisal_invitation_resolve(raw_token=raw_token)
    questionnaire = questionnaire_of(
        organisation=invitation.organisation_id, audience=invitation.audience
    )
    built = _answers_clean(questions_asked(questionnaire), answers)
    with transaction.atomic():
        locked = AppraisalInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.status != AppraisalInvitation.Status.SENT:
            raise AppraisalLinkGone(locked)
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answered_at"])
        appraisal = _appraisal_save(
            bilan=invitation.bilan,
            audience=invitation.audience,
            questionnaire=questionnaire,
            answers=built,
            respondent_key=invitation.email.lower(),
            invitation=locked,
        )
        audit_record(
            actor=None,
            action="appraisal.answer",
            target=appraisal,
            organisation=invitation.organisation,
            data={"audience": invitation.audience, "invitation": invitation.pk},
        )
    return appraisal


# --- The consultant's appraisal of a bilan ---------------------------------------------------


def consultant_appraisal_open(bilan: Bilan) -> bool:
    """A consultant appraises a bilan once it has ended."""
    return bilan.status == Phase.CLOSED


def consultant_appraisal_submit(
    *, consultant: User, bilan: Bilan, answers: Mapping[str, Any]
) -> Appraisal:
    """The appraisal of `bilan` by the consultant who led it, once the bilan has ended; once
    per bilan."""
    if bilan.consultant_id != consultant.pk:
        raise PermissionDenied
    if not consultant_appraisal_open(bilan):
        raise ValidationError(_("Vous donnerez votre appréciation une fois le bilan terminé."))
    questionnaire = questionnaire_of(
        organisation=bilan.organisation_id, audience=Audience.CONSULTANT
    )
    built = _answers_clean(questions_asked(questionnaire), answers)
    already = _("Vous avez déjà donné votre appréciation de ce bilan.")
    if Appraisal.objects.filter(bilan=bilan, audience=Audience.CONSULTANT).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            appraisal = _appraisal_save(
                bilan=bilan,
                audience=Audience.CONSULTANT,
                questionnaire=questionnaire,
                answers=built,
                respondent_key=f"user:{consultant.pk}",
                respondent=consultant,
            )
            audit_record(
                actor=consultant,
                action="appraisal.answer",
                target=appraisal,
                organisation=bilan.organisation,
                data={"audience": Audience.CONSULTANT},
            )
    except IntegrityError as error:
        raise ValidationError(already) from error
    return appraisal


def person_short(bilan: Bilan) -> str:
    """The beneficiary as the employer's or funder's page and e-mail name them: first name
    and initial of the last name (« Camille R. »). The employer knows the person (it signed
    the convention), the funder holds the dossier: this is enough for them to know which
    bilan they are asked about, and no more if the e-mail is forwarded (ADR 0035)."""
    person = bilan.beneficiary
    initial = (person.last_name or "").strip()[:1]
    first = (person.first_name or "").strip()
    if first and initial:
        return f"{first} {initial}."
    return first or _("la personne accompagnée")


def consultant_appraisal_of(bilan: Bilan) -> Appraisal | None:
    """The consultant's appraisal of `bilan`, if given."""
    return Appraisal.objects.filter(bilan=bilan, audience=Audience.CONSULTANT).first()


# A reminder (« dispositif de relance », indicator 30): not more often than this, so that a
# double click or a script never floods a mailbox.
RESEND_INTERVAL = timedelta(hours=1)


def appraisal_invitation_resend(*, actor: User, invitation: AppraisalInvitation) -> None:
    """Send the invitation's e-mail again, with a new link (the previous one stops working).
    Only while it waits for its answer, and not within RESEND_INTERVAL of the last e-mail."""
    from tisser.quality.tasks import appraisal_email_send

    require_coordinator_of(actor, invitation.organisation_id)
    now = timezone.now()
    if invitation.status_at(now) != AppraisalInvitation.Status.SENT:
        raise ValidationError(_("Cette invitation n'attend plus de réponse : rien à renvoyer."))
    last = invitation.sent_at or invitation.created_at
    if now - last < RESEND_INTERVAL:
        raise ValidationError(
            _("L'invitation vient d'être envoyée : vous pourrez la renvoyer dans une heure.")
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="appraisal.resend",
            target=invitation,
            organisation=invitation.organisation,
        )
        invitation_id = invitation.pk
        transaction.on_commit(lambda: appraisal_email_send.enqueue(invitation_id=invitation_id))

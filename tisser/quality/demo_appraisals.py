"""Demo data for the stakeholders' appraisals (Qualiopi indicator 30; `seed_demo`, registered
in `tisser.core.demo`): on the ended bilans of the demo organisme, employers' answers from
more than five addresses (their figures show), two funders' answers (fewer than five: the
page says why their figures are withheld), a few consultants' appraisals, and one employer's
invitation still waiting for its answer. Written through the services, as a respondent would:
the invitation, its link issued, the answers given from it. Safe to run twice: nothing is
added once the organisme has an appraisal."""

from tisser.bilans.models import Bilan, Phase
from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.quality.models import Appraisal, Audience
from tisser.quality.services.appraisals import (
    InvitationDraft,
    appraisal_answer_by_link,
    appraisal_invitation_create,
    appraisal_link_issue,
    consultant_appraisal_submit,
    field_name,
    questionnaire_of,
    questions_asked,
)

EMPLOYERS = (
    ("rh@boulangeries-martin.example", "Boulangeries Martin", (5, 4, 5, "yes", "")),
    ("drh@transports-leroy.example", "Transports Leroy", (4, 4, 4, "yes", "Bon suivi.")),
    ("contact@atelier-bois.example", "Atelier du Bois", (4, 5, 3, "yes", "")),
    ("rh@clinique-des-lilas.example", "Clinique des Lilas", (3, 4, 4, "yes", "")),
    (
        "direction@mairie-sainte-anne.example",
        "Mairie de Sainte-Anne",
        (2, 3, 3, "no", "Nous aurions aimé un point d'étape à mi-parcours."),
    ),
    ("rh@logistique-ouest.example", "Logistique Ouest", (5, 5, 4, "yes", "")),
)
FUNDERS = (
    ("qualite@opco-demo.example", "OPCO (démo)", (4, 4, 5, "no", "")),
    ("prestataires@francetravail-demo.example", "France Travail (démo)", (5, 4, 4, "no", "")),
)
CONSULTANT_ANSWERS = ((4, 4, 5, "no", ""), (3, 4, 3, "yes", "Prévoir plus de temps d'enquête."))


def _answers(organisation_id: int, audience: str, values: tuple) -> dict[str, object]:
    questions = questions_asked(questionnaire_of(organisation=organisation_id, audience=audience))
    return {field_name(question): value for question, value in zip(questions, values, strict=False)}


def appraisals_demo(organisation, people) -> str:
    if Appraisal.objects.filter(organisation=organisation).exists():
        return ""
    coordinator = people[Role.COORDINATOR][0]
    ended = list(
        Bilan.objects.filter(organisation=organisation, status=Phase.CLOSED)
        .select_related("consultant")
        .order_by("-closed_at", "-pk")[:10]
    )
    if len(ended) < 2:
        return ""
    answered = 0
    for index, (email, name, values) in enumerate(EMPLOYERS + FUNDERS):
        audience = Audience.EMPLOYER if index < len(EMPLOYERS) else Audience.FUNDER
        bilan = ended[index % len(ended)]
        invitation = appraisal_invitation_create(
            actor=coordinator,
            bilan=bilan,
            draft=InvitationDraft(audience=audience, email=email, recipient_name=name),
        )
        issued = appraisal_link_issue(invitation_id=invitation.pk)
        if issued is None:
            continue
        appraisal_answer_by_link(
            raw_token=issued[1], answers=_answers(organisation.pk, audience, values)
        )
        answered += 1
    # One employer's invitation still waiting for its answer.
    appraisal_invitation_create(
        actor=coordinator,
        bilan=ended[0],
        draft=InvitationDraft(
            audience=Audience.EMPLOYER,
            email="rh@pepinieres-du-val.example",
            recipient_name="Pépinières du Val",
        ),
    )
    for bilan, values in zip(ended, CONSULTANT_ANSWERS, strict=False):
        consultant_appraisal_submit(
            consultant=bilan.consultant,
            bilan=bilan,
            answers=_answers(organisation.pk, Audience.CONSULTANT, values),
        )
    return (
        f"Appréciations (Qualiopi 30) : {answered} avis d'employeurs et de financeurs, "
        "une invitation en attente, des appréciations de conseillères."
    )


@register("quality_appraisals", order=210, after=("outcomes_cohort",))
def appraisals_seed(demo: Demo) -> None:
    note = appraisals_demo(demo.organisation, demo.people)
    if note:
        demo.notes.append(note)

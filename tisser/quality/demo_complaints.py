"""Demo complaints and improvement actions (docs/adr/0034): a difficulty raised by Camille
from her space, a public complaint from an employer, one answered and closed, one overdue;
an action from a complaint, one from an audit finding, one done with its result. Idempotent:
nothing is added when the demo organisation already has complaints."""

from datetime import timedelta

from django.utils import timezone

from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.quality.models import (
    ActionSource,
    ActionStatus,
    Complaint,
    ComplaintKind,
    Relation,
)
from tisser.quality.services import complaints as complaint_services
from tisser.quality.services.improvements import ActionFields, improvement_action_create


def _person(demo: Demo, role: Role, email_start: str):
    for user in demo.people.get(role, []):
        if user.email.startswith(email_start):
            return user
    people = demo.people.get(role, [])
    return people[0] if people else None


@register("quality_complaints", order=90, after=("people",))
def seed(demo: Demo) -> None:
    organisation = demo.organisation
    if organisation is None or Complaint.objects.filter(organisation=organisation).exists():
        return
    nadia = _person(demo, Role.COORDINATOR, "nadia")
    camille = _person(demo, Role.BENEFICIARY, "camille")
    bernard = _person(demo, Role.MENTOR, "bernard")
    if nadia is None or camille is None:
        return
    today = timezone.localdate()

    # Camille's difficulty, received three days ago, not yet answered.
    difficulty = complaint_services.complaint_raise(
        author=camille,
        organisation=organisation,
        kind=ComplaintKind.DIFFICULTY,
        subject="Horaires des entretiens difficiles à tenir",
        description=(
            "Les entretiens tombent pendant mes heures de travail ; j'ai du mal à m'absenter "
            "sans prévenir plus tôt. Serait-il possible d'en placer certains en fin de journée ?"
        ),
        today=today - timedelta(days=3),
    )
    complaint_services.complaint_progress(
        coordinator=nadia,
        complaint=difficulty,
        step=complaint_services.ACKNOWLEDGE,
        expected_version=difficulty.version,
        today=today - timedelta(days=2),
    )

    # An employer, through the public form: answered and closed.
    employer = complaint_services.complaint_receive(
        organisation=organisation,
        kind=ComplaintKind.COMPLAINT,
        name="Sophie Lambert (Atelier Lambert)",
        email="sophie.lambert@example.org",
        relation=Relation.EMPLOYER,
        subject="Attestation de présence reçue en retard",
        description=(
            "Nous avons reçu l'attestation de présence de notre salariée trois semaines "
            "après la fin du bilan, ce qui a retardé notre dossier auprès de l'OPCO."
        ),
        today=today - timedelta(days=40),
    )
    for step, days_ago, answer in (
        (complaint_services.ACKNOWLEDGE, 39, None),
        (
            complaint_services.ANSWER,
            30,
            "Merci pour votre retour. L'attestation part désormais le jour de la clôture du "
            "bilan, générée depuis Tisser ; nous vous avons renvoyé la vôtre.",
        ),
        (complaint_services.CLOSE, 25, None),
    ):
        complaint_services.complaint_progress(
            coordinator=nadia,
            complaint=employer,
            step=step,
            expected_version=employer.version,
            answer=answer,
            today=today - timedelta(days=days_ago),
        )

    # A mentor's complaint, received long ago and never acknowledged: overdue.
    if bernard is not None:
        complaint_services.complaint_raise(
            author=bernard,
            organisation=organisation,
            kind=ComplaintKind.COMPLAINT,
            subject="Pas de retour après ma proposition de mentorat",
            description="J'ai proposé de suivre une personne il y a plus d'un mois, sans réponse.",
            today=today - timedelta(days=35),
        )

    improvement_action_create(
        coordinator=nadia,
        organisation=organisation,
        fields=ActionFields(
            title="Envoyer l'attestation de présence le jour de la clôture",
            description="Générer et envoyer l'attestation dès la clôture du bilan.",
            source=ActionSource.COMPLAINT,
            source_reference="Réclamation d'un employeur",
            owner=nadia,
            due_on=today - timedelta(days=20),
            status=ActionStatus.DONE,
            result="Les trois dernières attestations sont parties le jour même de la clôture.",
            complaint=employer,
        ),
        today=today - timedelta(days=30),
    )
    improvement_action_create(
        coordinator=nadia,
        organisation=organisation,
        fields=ActionFields(
            title="Formaliser la veille réglementaire",
            description="Constat de l'audit initial : la veille existe mais n'est pas tracée.",
            source=ActionSource.AUDIT,
            source_reference="Audit initial Qualiopi",
            owner=nadia,
            due_on=today + timedelta(days=45),
            status=ActionStatus.IN_PROGRESS,
            result="",
        ),
        today=today - timedelta(days=60),
    )
    improvement_action_create(
        coordinator=nadia,
        organisation=organisation,
        fields=ActionFields(
            title="Proposer des créneaux d'entretien en fin de journée",
            description="Pour les bénéficiaires en poste, deux soirs par semaine.",
            source=ActionSource.COMPLAINT,
            source_reference="Difficulté signalée par une bénéficiaire",
            owner=nadia,
            due_on=today + timedelta(days=30),
            status=ActionStatus.PLANNED,
            result="",
            complaint=difficulty,
        ),
        today=today,
    )
    demo.notes.append(
        "Qualité : 3 réclamations ou difficultés (dont une publique d'employeur, une en "
        "retard) et 3 actions d'amélioration."
    )

"""Demo data for the network (`seed_demo`, registered in `tisser.core.demo`): the
organisation's default interview guide, and Camille Roussel's network — contacts, a referral
chain and enquêtes-métiers about the fiches she shortlisted (so it runs after the bilans
exploration)."""

from datetime import timedelta

from django.utils import timezone

from tisser.accounts.models import Organisation, User
from tisser.bilans.models import ShortlistEntry
from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.network import services as network
from tisser.network.models import Contact, InformationalInterview, Stage, Verdict
from tisser.network.services.duplicates import text_fold
from tisser.network.services.guides import interview_guide_install_default
from tisser.network.services.notes import interview_synthesis_save

NETWORK_CONTACTS = (
    # (key, first name, last name, job title, company, how known, introduced by key, sector)
    (
        "sophie",
        "Sophie",
        "Marchand",
        "Responsable RH",
        "Clinique des Tilleuls",
        "former_manager",
        None,
        "Santé",
    ),
    (
        "karim",
        "Karim",
        "Benali",
        "Éducateur spécialisé",
        "Association Le Relais",
        "former_colleague",
        None,
        "Social",
    ),
    (
        "lea",
        "Léa",
        "Fontaine",
        "Conseillère en insertion",
        "Mission locale Nord",
        "introduced",
        "karim",
        "Social",
    ),
    ("marc", "Marc", "Olivier", "Formateur", "GRETA Métropole", "linkedin", None, "Formation"),
    (
        "nadia",
        "Nadia",
        "Haddad",
        "Assistante sociale",
        "CCAS de Lille",
        "introduced",
        "lea",
        "Social",
    ),
    (
        "julien",
        "Julien",
        "Perrin",
        "Chargé de projet",
        "Fondation Solidaire",
        "alumni",
        None,
        "Associatif",
    ),
    (
        "helene",
        "Hélène",
        "Garnier",
        "Coordinatrice de parcours",
        "Maison de l'emploi",
        "event",
        None,
        "Emploi",
    ),
    (
        "thomas",
        "Thomas",
        "Lemoine",
        "Animateur socio-culturel",
        "Centre social Wazemmes",
        "introduced",
        "sophie",
        "Social",
    ),
)


def network_demo(camille: User) -> str:
    """Camille Roussel's network: 8 contacts met in varied ways, 3 of them introduced by
    another (a referral chain Karim → Léa → Nadia), enquêtes at every step — one overdue (a
    message without answer for 10 days), one done with its synthesis — about her shortlisted
    fiches when the référentiel is imported. Skipped when she already has contacts."""
    if Contact.objects.filter(owner=camille).exists():
        return "Réseau : Camille Roussel a déjà ses contacts, rien d'ajouté."
    contacts: dict[str, Contact] = {}
    for key, first, last, job, company, how, by, sector in NETWORK_CONTACTS:
        contacts[key] = network.contact_create(
            owner=camille,
            data=network.ContactData(
                first_name=first,
                last_name=last,
                job_title=job,
                company=company,
                sector=sector,
                how_known=how,
                introduced_by=contacts[by] if by else None,
                channel="email",
                email=f"{text_fold(first)}.{text_fold(last)}@exemple.fr".replace(" ", ""),
            ),
        )
    fiches = [
        entry.metier
        for entry in ShortlistEntry.objects.filter(bilan__beneficiary=camille)
        .select_related("metier")
        .order_by("added_at", "id")
    ]

    def fiche(index: int):
        return fiches[index % len(fiches)] if fiches else None

    now = timezone.now()
    # (contact, fiche index, [(stage, days ago)], meeting in days): all within her bilan, which
    # opened three to four weeks ago (`tisser.bilans.demo`).
    plans = (
        (
            "karim",
            0,
            [
                (Stage.MESSAGE_SENT, 19),
                (Stage.MEETING_SET, 17),
                (Stage.INTERVIEW_DONE, 13),
                (Stage.THANKED, 12),
            ],
            -13,
        ),
        ("lea", 0, [(Stage.MESSAGE_SENT, 11), (Stage.MEETING_SET, 8)], 3),
        ("sophie", 1, [(Stage.MESSAGE_SENT, 10)], None),  # overdue: follow up
        ("marc", 1, [(Stage.MESSAGE_SENT, 4)], None),
        ("nadia", 0, [], None),
        ("julien", 1, [(Stage.MESSAGE_SENT, 12), (Stage.FOLLOWED_UP, 5)], None),
    )
    for key, index, steps, meeting_in in plans:
        first_at = now - timedelta(days=(steps[0][1] + 2) if steps else 1)
        interview = network.interview_start(
            owner=camille, contact=contacts[key], metier=fiche(index), at=first_at
        )
        for stage, days_ago in steps:
            network.interview_advance(
                actor=camille,
                interview=interview,
                to_stage=stage,
                at=now - timedelta(days=days_ago),
                meeting_at=now + timedelta(days=meeting_in) if stage == Stage.MEETING_SET else None,
            )
    done = InformationalInterview.objects.get(owner=camille, contact=contacts["karim"])
    interview_synthesis_save(
        actor=camille,
        interview=done,
        takeaways=(
            "Un métier de terrain, au contact des personnes, avec beaucoup de travail "
            "d'équipe. Les diplômes d'État sont exigés ; la VAE est possible."
        ),
        about_me="J'ai retrouvé l'envie d'accompagner, que j'avais laissée de côté.",
        verdict=Verdict.GO,
        project=None,
        metier=done.metier,
        expected_version=done.version,
    )
    network.network_snapshots_refresh()
    return (
        "Réseau : 8 contacts et 6 enquêtes-métiers pour Camille Roussel "
        "(dont une en retard et une terminée avec sa synthèse)."
    )


def network_guides_demo(organisation: Organisation) -> None:
    """The default interview guide of the demo organisation (nothing when it has one)."""
    interview_guide_install_default(organisation=organisation)


@register("network_guides", order=80, after=("people",))
def guides_seed(demo: Demo) -> None:
    network_guides_demo(demo.organisation)


@register("network", order=90, after=("bilan_exploration",))
def network_seed(demo: Demo) -> None:
    demo.notes.append(network_demo(demo.people[Role.BENEFICIARY][0]))

"""Demo data for accounts (`seed_demo`, registered in `tisser.core.demo`): one fictional
organisme, its coordinator, consultants, mentors and beneficiaries, all with the same
password, printed at the end with one address per role. Runs first: the other apps' demo
parts use `demo.organisation` and `demo.people`."""

from datetime import timedelta
from unicodedata import normalize

from django.utils import timezone
from django.utils.translation import ngettext

from tisser.accounts.identity import Identity, organisation_identity_save
from tisser.accounts.models import Membership, Organisation, User
from tisser.accounts.services import membership_create, organisation_create, user_create
from tisser.core.demo import Demo, register
from tisser.core.enums import Role

DEMO_PASSWORD = "tisser-demo-2026"
DEMO_DOMAIN = "demo.tisser.fr"
ORGANISATION = ("Horizons Bilans Occitanie", "horizons-bilans")

COORDINATORS = [("Nadia", "Benali")]
CONSULTANTS = [("Claire", "Morel"), ("Julien", "Fabre")]
BENEFICIARIES = [
    ("Camille", "Roussel"),
    ("Thomas", "Garnier"),
    ("Inès", "Lefebvre"),
    ("Karim", "Haddad"),
    ("Sophie", "Marchand"),
    ("Lucas", "Perrin"),
    ("Amandine", "Colin"),
    ("Mathieu", "Vidal"),
    ("Léa", "Fournier"),
    ("Yanis", "Brunet"),
    ("Élodie", "Gauthier"),
    ("Hugo", "Lambert"),
]
MENTORS = [
    ("Bernard", "Aubry"),
    ("Françoise", "Leclerc"),
    ("Olivier", "Masson"),
    ("Nathalie", "Chevalier"),
    ("Stéphane", "Robin"),
    ("Valérie", "Noël"),
    ("Pascal", "Girard"),
    ("Martine", "Dumont"),
]


def demo_email(first_name: str, last_name: str) -> str:
    ascii_name = normalize("NFKD", f"{first_name}.{last_name}").encode("ascii", "ignore").decode()
    return f"{ascii_name.lower()}@{DEMO_DOMAIN}"


def _inviter(role: Role, index: int, people: dict[Role, list[User]]) -> User | None:
    if role == Role.BENEFICIARY:
        consultants = people[Role.CONSULTANT]
        return consultants[index % len(consultants)]
    if role in (Role.CONSULTANT, Role.MENTOR):
        return people[Role.COORDINATOR][0]
    return None


def _person(organisation, role, first_name, last_name, inviter) -> tuple[User, bool]:
    email = demo_email(first_name, last_name)
    user = User.objects.filter(email=email).first()
    was_created = user is None
    if user is None:
        user = user_create(
            email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
        )
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        membership_create(user=user, organisation=organisation, role=role, invited_by=inviter)
    return user, was_created


@register("people", order=10)
def people_demo(demo: Demo) -> None:
    organisation = Organisation.objects.filter(slug=ORGANISATION[1]).first()
    if organisation is None:
        organisation = organisation_create(name=ORGANISATION[0], slug=ORGANISATION[1])
    created = 0
    people: dict[Role, list[User]] = {}
    for role, names in (
        (Role.COORDINATOR, COORDINATORS),
        (Role.CONSULTANT, CONSULTANTS),
        (Role.MENTOR, MENTORS),
        (Role.BENEFICIARY, BENEFICIARIES),
    ):
        for index, (first_name, last_name) in enumerate(names):
            inviter = _inviter(role, index, people)
            user, was_created = _person(organisation, role, first_name, last_name, inviter)
            created += was_created
            people.setdefault(role, []).append(user)
    demo.organisation, demo.people = organisation, people
    existing = sum(len(v) for v in people.values()) - created
    demo.summary += [
        ngettext("%(count)d compte créé", "%(count)d comptes créés", created) % {"count": created},
        ngettext("%(count)d déjà présent", "%(count)d déjà présents", existing)
        % {"count": existing},
    ]
    demo.credentials.append(f"Mot de passe de tous les comptes de démonstration : {DEMO_PASSWORD}")
    for role in (Role.BENEFICIARY, Role.CONSULTANT, Role.MENTOR, Role.COORDINATOR):
        demo.credentials.append(f"  {role.label:<22} {people[role][0].email}")
    demo.credentials.append(
        "Conseillers et coordinateurs activent la double authentification (TOTP) "
        "à leur première connexion."
    )


def _demo_logo() -> bytes | None:
    """A small generated PNG: two interlaced rings, the demo organisme's "logo"."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # pragma: no cover — WeasyPrint brings Pillow
        return None
    from io import BytesIO

    image = Image.new("RGB", (240, 80), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, 68, 68), outline="#1f3a5f", width=8)
    draw.ellipse((46, 12, 102, 68), outline="#2e7d6b", width=8)
    draw.rectangle((120, 30, 228, 50), fill="#1f3a5f")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@register("organisation_identity", order=15, after=("people",))
def identity_demo(demo: Demo) -> None:
    """The demo organisme's identity, fictional but well formed: a SIRET whose Luhn key is
    right, an 11-digit NDA, a Qualiopi certificate valid two more years, a logo. Left as it
    is once a SIRET is saved (a coordinator may have edited it)."""
    organisation = Organisation.objects.get(pk=demo.organisation.pk)
    if organisation.siret:
        return
    organisation_identity_save(
        coordinator=demo.people[Role.COORDINATOR][0],
        organisation=organisation,
        expected_version=organisation.version,
        identity=Identity(
            legal_name="Horizons Bilans Occitanie SAS",
            siret="81234567600017",
            nda="76311234531",
            address="12 allée Jean Jaurès\n31000 Toulouse",
            qualiopi_number="QUALIOPI-DEMO-2025-0417",
            qualiopi_issuer="Certif'Démo (organisme certificateur fictif)",
            qualiopi_expires_on=timezone.localdate() + timedelta(days=730),
            qualiopi_bilan_category=True,
            disability_referent_name="Nadia Benali",
            disability_referent_email=demo_email("Nadia", "Benali"),
            dpo_name="Julien Fabre",
            dpo_email=f"dpo@{DEMO_DOMAIN}",
        ),
        logo=_demo_logo(),
    )
    demo.organisation = Organisation.objects.get(pk=organisation.pk)
    demo.notes.append(
        "Organisme : raison sociale, SIRET, NDA, certificat Qualiopi et logo renseignés (fictifs)."
    )

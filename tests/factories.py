import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tisser.accounts.models import Membership, Organisation, User
from tisser.core.enums import Role

PASSWORD = "mot-de-passe-de-test-123"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisme {n}")
    slug = factory.Sequence(lambda n: f"organisme-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.BENEFICIARY
    invited_by = None
    # As `membership_create` does: a beneficiary invited by a consultant of the organisation
    # has them as consultant of record (ADR 0021).
    consultant = factory.LazyAttribute(
        lambda membership: (
            membership.invited_by
            if membership.role == Role.BENEFICIARY
            and membership.invited_by is not None
            and Membership.objects.filter(
                user=membership.invited_by,
                organisation=membership.organisation,
                role=Role.CONSULTANT,
            ).exists()
            else None
        )
    )


def totp_activate(user: User) -> str:
    """Give `user` an authenticator app, as consultants and coordinators must have."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def member(role: Role, organisation: Organisation | None = None, **kwargs) -> User:
    """A person with `role` in `organisation` (a new one by default), ready to use the app."""
    membership = MembershipFactory(
        role=role, organisation=organisation or OrganisationFactory(), **kwargs
    )
    if role in (Role.CONSULTANT, Role.COORDINATOR):
        totp_activate(membership.user)
    return membership.user

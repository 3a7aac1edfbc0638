"""Services of mentor profiles, mentee needs, cohorts and declared incompatibilities."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.bilans.models import Funding, ProjectKind
from tisser.bilans.services import bilan_open, project_create
from tisser.core.enums import Role
from tisser.mentoring import services
from tisser.mentoring.models import (
    DeclaredConflict,
    HelpKind,
    MeetingPreference,
    MenteeProfile,
    MentorProfile,
    availability_bit,
)
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.notifications.models import Notification
from tisser.referentiel.models import Metier, MetierCompetence

MONDAY_MORNING = availability_bit(0, 0)


def mentor_data(**overrides) -> services.MentorProfileData:
    values = {
        "headline": "Cheffe d'atelier",
        "career_path": "Vingt ans en atelier.",
        "motivation": "Transmettre.",
        "current_fiches": list(Metier.objects.filter(code_rome="A1901")),
        "help_offered": [HelpKind.JOB_DISCOVERY],
        "capacity": 2,
        "availability": MONDAY_MORNING,
        "languages": ["fr"],
        "mode": MeetingPreference.REMOTE,
    }
    values.update(overrides)
    return services.MentorProfileData(**values)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("01", True),
        ("69", True),
        ("95", True),
        ("2A", True),
        ("2B", True),
        ("971", True),
        ("976", True),
        ("00", False),
        ("20", False),
        ("96", False),
        ("977", False),
        ("2C", False),
        ("", False),
    ],
)
def test_departement_codes(value, valid):
    assert services.departement_is_valid(value) is valid


def test_departement_is_normalised():
    assert services.departement_normalize(" 2a ") == "2A"
    assert services.departement_normalize("6") == "06"


def test_a_mentor_creates_a_draft_whose_domaines_come_from_the_fiches(rome, organisation):
    mentor = member(Role.MENTOR, organisation)

    profile = services.mentor_profile_save(
        user=mentor, organisation=organisation, data=mentor_data(employer="  Acme   SAS ")
    )

    assert profile.status == MentorProfile.Status.DRAFT
    assert profile.version == 1
    assert profile.employer == "Acme SAS"
    assert list(profile.domaines.values_list("code", flat=True)) == ["A19"]


def test_a_stale_version_is_refused_and_nothing_changes(rome, organisation):
    mentor = member(Role.MENTOR, organisation)
    services.mentor_profile_save(user=mentor, organisation=organisation, data=mentor_data())
    services.mentor_profile_save(
        user=mentor,
        organisation=organisation,
        data=mentor_data(headline="Deuxième onglet"),
        expected_version=1,
    )

    with pytest.raises(ValidationError) as error:
        services.mentor_profile_save(
            user=mentor,
            organisation=organisation,
            data=mentor_data(headline="Premier onglet"),
            expected_version=1,
        )

    assert error.value.code == "stale"
    assert MentorProfile.objects.get(user=mentor).headline == "Deuxième onglet"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"mode": MeetingPreference.IN_PERSON, "departement": ""}, "departement"),
        ({"mode": MeetingPreference.EITHER, "departement": "20"}, "departement"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 11}, "capacity"),
        ({"help_offered": ["astrology"]}, "help_offered"),
        ({"languages": ["xx"]}, "languages"),
        ({"headline": "  "}, "headline"),
    ],
)
def test_bad_mentor_input_is_refused_on_its_field(rome, organisation, overrides, field):
    mentor = member(Role.MENTOR, organisation)

    with pytest.raises(ValidationError) as error:
        services.mentor_profile_save(
            user=mentor, organisation=organisation, data=mentor_data(**overrides)
        )

    assert field in error.value.message_dict
    assert not MentorProfile.objects.exists()


def test_skills_must_come_from_the_fiches(rome, organisation):
    mentor = member(Role.MENTOR, organisation)
    own = MetierCompetence.objects.filter(metier__code_rome="A1901").first().competence
    foreign = (
        MetierCompetence.objects.exclude(
            competence__in=MetierCompetence.objects.filter(metier__code_rome="A1901").values(
                "competence"
            )
        )
        .first()
        .competence
    )

    profile = services.mentor_profile_save(
        user=mentor, organisation=organisation, data=mentor_data(skills=[own])
    )
    with pytest.raises(ValidationError) as error:
        services.mentor_profile_save(
            user=mentor,
            organisation=organisation,
            data=mentor_data(skills=[foreign]),
            expected_version=1,
        )

    assert list(profile.skills.all()) == [own]
    assert "skills" in error.value.message_dict


def test_only_a_mentor_of_the_organisation_has_a_mentor_profile(rome, organisation):
    beneficiary = member(Role.BENEFICIARY, organisation)

    with pytest.raises(PermissionDenied):
        services.mentor_profile_save(
            user=beneficiary, organisation=organisation, data=mentor_data()
        )


def test_an_incomplete_profile_cannot_be_submitted(rome, organisation):
    mentor = member(Role.MENTOR, organisation)
    profile = services.mentor_profile_save(
        user=mentor,
        organisation=organisation,
        data=mentor_data(current_fiches=[], availability=0),
    )

    with pytest.raises(ValidationError) as error:
        services.mentor_profile_submit(user=mentor, profile=profile)

    assert "fiche métier" in error.value.messages[0]
    assert "créneau" in error.value.messages[0]
    profile.refresh_from_db()
    assert profile.status == MentorProfile.Status.DRAFT


def test_submitting_tells_every_coordinator_once(rome, organisation):
    mentor = member(Role.MENTOR, organisation)
    coordinators = [member(Role.COORDINATOR, organisation) for _ in range(2)]
    member(Role.COORDINATOR)  # of another organisation
    profile = services.mentor_profile_save(
        user=mentor, organisation=organisation, data=mentor_data()
    )

    services.mentor_profile_submit(user=mentor, profile=profile)

    profile.refresh_from_db()
    assert profile.status == MentorProfile.Status.SUBMITTED
    told = Notification.objects.filter(kind=MentoringNotice.MENTOR_PROFILE_SUBMITTED)
    assert {n.recipient for n in told} == set(coordinators)
    with pytest.raises(ValidationError):
        services.mentor_profile_submit(user=mentor, profile=profile)


def test_sending_back_needs_a_note_then_the_mentor_resubmits(rome, organisation):
    mentor = member(Role.MENTOR, organisation)
    coordinator = member(Role.COORDINATOR, organisation)
    profile = services.mentor_profile_save(
        user=mentor, organisation=organisation, data=mentor_data()
    )
    services.mentor_profile_submit(user=mentor, profile=profile)

    with pytest.raises(ValidationError) as error:
        services.mentor_profile_review(coordinator=coordinator, profile=profile, approve=False)
    assert "note" in error.value.message_dict

    services.mentor_profile_review(
        coordinator=coordinator, profile=profile, approve=False, note="Précisez vos horaires."
    )
    profile.refresh_from_db()
    assert profile.status == MentorProfile.Status.REJECTED
    notice = Notification.objects.get(
        kind=MentoringNotice.MENTOR_PROFILE_REVIEWED, recipient=mentor, channel="in_app"
    )
    assert "Précisez vos horaires." in notice.body

    services.mentor_profile_submit(user=mentor, profile=profile)
    services.mentor_profile_review(coordinator=coordinator, profile=profile, approve=True)
    profile.refresh_from_db()
    assert profile.status == MentorProfile.Status.VALIDATED
    assert profile.reviewed_by == coordinator


def test_only_a_submitted_profile_can_be_reviewed_by_its_own_coordination(organisation):
    profile = mentor_profile(organisation, status=MentorProfile.Status.DRAFT)

    with pytest.raises(ValidationError) as error:
        services.mentor_profile_review(
            coordinator=member(Role.COORDINATOR, organisation), profile=profile, approve=True
        )
    assert error.value.code == "status"
    with pytest.raises(PermissionDenied):
        services.mentor_profile_review(
            coordinator=member(Role.COORDINATOR), profile=profile, approve=True
        )


def test_a_paused_profile_leaves_the_available_pool_and_comes_back(organisation):
    profile = mentor_profile(organisation)

    services.mentor_profile_pause(user=profile.user, profile=profile, paused=True)
    assert not MentorProfile.objects.available().filter(pk=profile.pk).exists()

    services.mentor_profile_pause(user=profile.user, profile=profile, paused=False)
    assert MentorProfile.objects.available().filter(pk=profile.pk).exists()
    with pytest.raises(PermissionDenied):
        services.mentor_profile_pause(
            user=member(Role.MENTOR, organisation), profile=profile, paused=True
        )


def mentee_data(**overrides) -> services.MenteeNeedsData:
    values = {
        "help_wanted": [HelpKind.NETWORK],
        "languages": ["fr"],
        "availability": MONDAY_MORNING,
        "mode": MeetingPreference.REMOTE,
        "wishes": "Voir le métier de près.",
    }
    values.update(overrides)
    return services.MenteeNeedsData(**values)


def test_mentee_needs_link_the_latest_bilan_and_keep_consents(rome, organisation):
    consultant = member(Role.CONSULTANT, organisation)
    beneficiary = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    bilan = bilan_open(consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF)
    project_create(
        actor=beneficiary,
        bilan=bilan,
        kind=ProjectKind.RECONVERSION,
        title="Devenir fleuriste",
        targets=Metier.objects.filter(code_rome="D1901"),
    )

    assert [m.code_rome for m in services.mentee_initial_targets(beneficiary, organisation)] == [
        "D1901"
    ]
    profile = services.mentee_profile_save(
        user=beneficiary,
        organisation=organisation,
        data=mentee_data(
            target_fiches=list(Metier.objects.filter(code_rome="D1901")), share_project=True
        ),
    )

    assert profile.bilan == bilan
    assert profile.share_project and not profile.share_targets
    assert list(profile.target_fiches.values_list("code_rome", flat=True)) == ["D1901"]


def test_the_preview_is_what_a_mentor_reads_and_writes_nothing(rome, organisation):
    beneficiary = member(Role.BENEFICIARY, organisation)

    preview = services.mentee_needs_preview(
        user=beneficiary,
        organisation=organisation,
        data=mentee_data(
            target_fiches=list(Metier.objects.filter(code_rome="A1901")),
            share_targets=True,
            employer="Acme",
        ),
    )

    assert preview.targets == [str(Metier.objects.get(code_rome="A1901"))]
    assert preview.project is None and preview.gap is None
    assert len(preview.withheld) == 2
    assert "Acme" not in str(preview)
    assert not MenteeProfile.objects.exists()


def test_a_seeking_mentee_says_what_help_and_which_language(organisation):
    beneficiary = member(Role.BENEFICIARY, organisation)

    with pytest.raises(ValidationError) as error:
        services.mentee_profile_save(
            user=beneficiary,
            organisation=organisation,
            data=mentee_data(help_wanted=[], languages=[]),
        )

    assert {"help_wanted", "languages"} <= set(error.value.message_dict)


def test_mentee_needs_refuse_a_stale_version(organisation):
    beneficiary = member(Role.BENEFICIARY, organisation)
    services.mentee_profile_save(user=beneficiary, organisation=organisation, data=mentee_data())

    with pytest.raises(ValidationError) as error:
        services.mentee_profile_save(
            user=beneficiary, organisation=organisation, data=mentee_data(), expected_version=0
        )

    assert error.value.code == "stale"


def test_the_coordination_sets_a_cohort_and_declares_then_lifts_a_conflict(organisation):
    coordinator = member(Role.COORDINATOR, organisation)
    mentee = mentee_profile(organisation)
    mentor = mentor_profile(organisation)

    services.mentee_cohort_set(coordinator=coordinator, profile=mentee, cohort=" Printemps  2026 ")
    conflict = services.conflict_declare(
        coordinator=coordinator,
        mentee=mentee,
        mentor=mentor,
        reason=DeclaredConflict.Reason.REPORTING_LINE,
        note="Même service",
    )
    with pytest.raises(ValidationError):
        services.conflict_declare(
            coordinator=coordinator,
            mentee=mentee,
            mentor=mentor,
            reason=DeclaredConflict.Reason.DECLARED_CONFLICT,
        )

    mentee.refresh_from_db()
    assert mentee.cohort == "Printemps 2026"
    assert conflict.mentee == mentee.user

    services.conflict_remove(coordinator=coordinator, conflict=conflict)
    assert not DeclaredConflict.objects.exists()


def test_another_organisation_cannot_touch_cohorts_or_conflicts(organisation):
    outsider = member(Role.COORDINATOR)
    mentee = mentee_profile(organisation)
    mentor = mentor_profile(organisation)

    with pytest.raises(PermissionDenied):
        services.mentee_cohort_set(coordinator=outsider, profile=mentee, cohort="X")
    with pytest.raises(PermissionDenied):
        services.conflict_declare(
            coordinator=outsider,
            mentee=mentee,
            mentor=mentor,
            reason=DeclaredConflict.Reason.REPORTING_LINE,
        )

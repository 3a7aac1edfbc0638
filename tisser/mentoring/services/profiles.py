"""Mentor profiles (written by the mentor, reviewed by the coordination, paused by the
mentor), mentee needs (written by the beneficiary, with their sharing consents), cohorts and
declared conflicts (written by the coordination)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, Organisation, User
from tisser.bilans.models import Bilan, Project
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.versioning import version_bump, version_require
from tisser.mentoring.models import (
    AVAILABILITY_BITS,
    MAX_CAPACITY,
    DeclaredConflict,
    HelpKind,
    Language,
    MeetingPreference,
    MenteeProfile,
    MentorProfile,
)
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.mentoring.places import current_mentees
from tisser.mentoring.sharing import shared_needs
from tisser.notifications.actions import resolve
from tisser.notifications.content import absolute_url
from tisser.notifications.models import Channel
from tisser.notifications.services import channels_for, notification_get_or_create
from tisser.referentiel.models import (
    Competence,
    DomaineProfessionnel,
    Metier,
    MetierCompetence,
    SecteurActivite,
)
from tisser.referentiel.understanding import COMPETENCE, get_understanding

# Metropolitan 01–95 (Corsica is 2A and 2B, never 20) and the overseas 971–976.
_DEPARTEMENT = re.compile(r"^(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-6])$")


def departement_normalize(value: str) -> str:
    """ "6" → "06", " 2a " → "2A"; the value unchanged otherwise (checked separately)."""
    value = value.strip().upper()
    if value.isdigit() and len(value) == 1:
        value = "0" + value
    return value


def departement_is_valid(value: str) -> bool:
    return bool(_DEPARTEMENT.match(value))


# A profile saved elsewhere since the form was opened (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "Ce profil a été modifié entre-temps (dans un autre onglet ?). Rien n'a été "
    "enregistré : vos saisies sont conservées ci-dessous, enregistrez à nouveau pour "
    "remplacer la version enregistrée."
)


def _member(user: User, organisation: Organisation, role: Role) -> bool:
    return Membership.objects.filter(
        user=user, organisation=organisation, role=role, is_active=True
    ).exists()


def _logistics_errors(
    *, help_kinds: list[str], languages: list[str], availability: int, mode: str, departement: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if any(kind not in HelpKind.values for kind in help_kinds):
        errors["help"] = [_("Choisissez parmi les propositions.")]
    if any(code not in Language.values for code in languages):
        errors["languages"] = [_("Choisissez parmi les langues proposées.")]
    if not 0 <= availability < (1 << AVAILABILITY_BITS):
        errors["availability"] = [_("Ces disponibilités ne sont pas valables.")]
    if mode not in MeetingPreference.values:
        errors["mode"] = [_("Choisissez une modalité.")]
    elif mode != MeetingPreference.REMOTE:
        if not departement:
            errors["departement"] = [
                _("Indiquez votre département : des rencontres en présentiel sont possibles.")
            ]
        elif not departement_is_valid(departement):
            errors["departement"] = [
                _(
                    "« %(value)s » n'est pas un département : 01 à 95, 2A, 2B ou 971 à 976 "
                    "(par exemple 69)."
                )
                % {"value": departement}
            ]
    return errors


def _raise(errors: dict[str, list[str]], names: dict[str, str]) -> None:
    if errors:
        raise ValidationError({names.get(key, key): value for key, value in errors.items()})


def _notify(
    *,
    recipient: User,
    kind: str,
    key: str,
    subject: Callable[[], str],
    text: Callable[[], str],
    path: str,
    about: MentorProfile,
) -> None:
    """`subject` and `text` are written in the recipient's language, hence callables."""
    if not recipient.is_active:
        return
    for channel in channels_for(recipient):
        with translation.override(recipient.preferred_language or "fr"):
            subject_text = subject()
            body = render_to_string(
                "emails/notifications/synthesis.txt",
                {
                    "recipient": recipient,
                    "email": channel == Channel.EMAIL,
                    "text": text(),
                    "link": absolute_url(path),
                    "preferences_link": absolute_url(reverse("notifications:preferences")),
                },
            ).strip()
        notification_get_or_create(
            recipient=recipient,
            channel=channel,
            kind=kind,
            idempotency_key=f"{key}:{channel}",
            subject=subject_text,
            body=body + "\n",
            url=path,
            about=about,
        )


# -- mentor profiles ----------------------------------------------------------------------


@dataclass(frozen=True)
class MentorProfileData:
    """What the mentor writes on their profile. Fiches, domaines, skills and sectors are model
    instances; `extra_domaines` are added to the domaines of the fiches."""

    headline: str
    career_path: str
    motivation: str
    reconversion: str = ""
    current_fiches: list[Metier] = field(default_factory=list)
    past_fiches: list[Metier] = field(default_factory=list)
    extra_domaines: list[DomaineProfessionnel] = field(default_factory=list)
    skills: list[Competence] = field(default_factory=list)
    sectors: list[SecteurActivite] = field(default_factory=list)
    help_offered: list[str] = field(default_factory=list)
    capacity: int = 2
    availability: int = 0
    languages: list[str] = field(default_factory=list)
    mode: str = MeetingPreference.REMOTE
    departement: str = ""
    employer: str = ""
    # The mentor said they keep their current mentees above a lowered capacity (ADR 0025).
    capacity_acknowledged: bool = False


def capacity_below_current_message(*, capacity: int, current: int) -> str:
    """Why a capacity under the current mentees needs the mentor's explicit word."""
    return ngettext(
        "Vous accompagnez en ce moment %(count)s personne : une capacité de %(capacity)s est "
        "inférieure. Cochez la case de confirmation pour garder ce mentorat en cours sans "
        "recevoir de nouvelle personne, ou indiquez au moins %(count)s.",
        "Vous accompagnez en ce moment %(count)s personnes : une capacité de %(capacity)s est "
        "inférieure. Cochez la case de confirmation pour garder ces mentorats en cours sans "
        "recevoir de nouvelle personne, ou indiquez au moins %(count)s.",
        current,
    ) % {"count": current, "capacity": capacity}


def mentor_skill_choices(fiches: list[Metier]) -> list[tuple[Metier, list[Competence]]]:
    """The compétences a mentor may offer to pass on: those of their fiches, each listed once
    (under the first fiche that has it), cœur de métier first then alphabetical."""
    links = (
        MetierCompetence.objects.filter(metier__in=fiches)
        .select_related("competence")
        .order_by("-coeur_metier", "competence__libelle")
    )
    by_metier: dict[int, list[Competence]] = {metier.pk: [] for metier in fiches}
    seen: set[int] = set()
    order = {metier.pk: index for index, metier in enumerate(fiches)}
    for link in sorted(links, key=lambda link: order[link.metier_id]):
        if link.competence_id in seen:
            continue
        seen.add(link.competence_id)
        by_metier[link.metier_id].append(link.competence)
    return [(metier, by_metier[metier.pk]) for metier in fiches if by_metier[metier.pk]]


def mentor_skills_described(
    text: str, offered: list[Competence], *, most: int = 10
) -> list[tuple[Competence, tuple[str, ...]]] | None:
    """The compétences among `offered` (those of the mentor's fiches, `mentor_skill_choices`)
    that a description of what the mentor can pass on suggests, best first, each with the
    description's words that led to it (ADR 0040). None when no référentiel is loaded. The
    engine reads against the whole ROME: only what the fiches offer may be chosen."""
    engine = get_understanding()
    if engine is None:
        return None
    by_code = {skill.code_ogr: skill for skill in offered}
    found: list[tuple[Competence, tuple[str, ...]]] = []
    for suggestion in engine.suggest(text, limit=SKILLS_READ, kinds=(COMPETENCE,)):
        skill = by_code.get(suggestion.code_ogr)
        if skill is not None:
            found.append((skill, suggestion.words))
            if len(found) >= most:
                break
    return found


SKILLS_READ = 60
"""How many of the engine's suggestions are read to find those the mentor's fiches offer."""


def mentor_profile_save(
    *,
    user: User,
    organisation: Organisation,
    data: MentorProfileData,
    expected_version: int = 0,
) -> MentorProfile:
    """Create or update `user`'s mentor profile in `organisation` (an active mentor there,
    PermissionDenied otherwise). `expected_version` is the version the mentor saw (0 when
    there was no profile yet): a profile changed since is refused. A capacity below the
    mentorships under way is refused unless `data.capacity_acknowledged` (the mentor keeps
    them and takes no new mentee meanwhile); the count is read under the profile's lock, the
    one `mentorship_start` takes. The domaines are those of
    the fiches plus the extra ones; the compétences must come from the fiches. The status
    does not change: a validated profile stays visible with its new content."""
    if not _member(user, organisation, Role.MENTOR):
        raise PermissionDenied
    departement = departement_normalize(data.departement)
    errors = _logistics_errors(
        help_kinds=data.help_offered,
        languages=data.languages,
        availability=data.availability,
        mode=data.mode,
        departement=departement,
    )
    for name in ("headline", "career_path", "motivation"):
        if not getattr(data, name).strip():
            errors[name] = [_("Ce champ est obligatoire.")]
    if not 1 <= data.capacity <= MAX_CAPACITY:
        errors["capacity"] = [
            _("Entre 1 et %(max)s personnes en même temps.") % {"max": MAX_CAPACITY}
        ]
    both = {m.pk for m in data.current_fiches} & {m.pk for m in data.past_fiches}
    if both:
        errors["past_fiches"] = [
            _("Une fiche ne peut pas être à la fois actuelle et passée : %(codes)s.")
            % {"codes": ", ".join(sorted(m.code_rome for m in data.current_fiches if m.pk in both))}
        ]
    fiches = [*data.current_fiches, *data.past_fiches]
    allowed = set(
        MetierCompetence.objects.filter(metier__in=fiches).values_list("competence_id", flat=True)
    )
    if any(skill.pk not in allowed for skill in data.skills):
        errors["skills"] = [_("Choisissez les compétences parmi celles de vos fiches métier.")]
    _raise(errors, {"help": "help_offered"})
    values = {
        "headline": data.headline.strip(),
        "career_path": data.career_path.strip(),
        "reconversion": data.reconversion.strip(),
        "motivation": data.motivation.strip(),
        "help_offered": [kind for kind in HelpKind.values if kind in data.help_offered],
        "capacity": data.capacity,
        "availability": data.availability,
        "languages": [code for code in Language.values if code in data.languages],
        "mode": data.mode,
        "departement": "" if data.mode == MeetingPreference.REMOTE else departement,
        "employer": " ".join(data.employer.split()),
    }
    with transaction.atomic():
        profile = (
            MentorProfile.objects.select_for_update()
            .filter(organisation=organisation, user=user)
            .first()
        )
        if profile is None:
            version_require(None, expected=expected_version, message=STALE_MESSAGE)
            profile = MentorProfile.objects.create(organisation=organisation, user=user, **values)
            action = "mentor_profile_create"
        else:
            version_require(profile, expected=expected_version, message=STALE_MESSAGE)
            current = current_mentees(profile)
            # Lowering it under the current count; one already under (acknowledged before)
            # may stay or rise without asking again.
            lowered = data.capacity < min(current, profile.capacity)
            if lowered and not data.capacity_acknowledged:
                raise ValidationError(
                    {
                        "capacity": ValidationError(
                            capacity_below_current_message(capacity=data.capacity, current=current),
                            code="below_current",
                        )
                    }
                )
            version_bump(profile, expected=expected_version, message=STALE_MESSAGE)
            for name, value in values.items():
                setattr(profile, name, value)
            profile.save()
            action = "mentor_profile_update"
        profile.current_fiches.set(data.current_fiches)
        profile.past_fiches.set(data.past_fiches)
        domaines = {m.domaine_id for m in fiches} | {d.pk for d in data.extra_domaines}
        profile.domaines.set(domaines)
        profile.skills.set(data.skills)
        profile.sectors.set(data.sectors)
        audit_record(
            actor=user,
            action=action,
            target=profile,
            organisation=organisation,
            data={"capacity": data.capacity, "current": current_mentees(profile)},
        )
    return profile


def mentor_profile_missing(profile: MentorProfile) -> list[str]:
    """What a profile still lacks before it can be submitted (French, empty when complete)."""
    missing = []
    if not profile.current_fiches.exists() and not profile.past_fiches.exists():
        missing.append(_("au moins une fiche métier, actuelle ou passée"))
    if not profile.help_offered:
        missing.append(_("au moins une chose sur laquelle vous pouvez aider"))
    if not profile.availability:
        missing.append(_("au moins un créneau de disponibilité"))
    if not profile.languages:
        missing.append(_("au moins une langue"))
    return missing


def mentor_profile_submit(*, user: User, profile: MentorProfile) -> MentorProfile:
    """The mentor sends their draft (or their profile sent back "À revoir") to the
    coordination: DRAFT/REJECTED → SUBMITTED. Refused while a required part is missing (a
    fiche, a help, an availability slot, a language). Every coordinator of the organisation
    is told."""
    with transaction.atomic():
        profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.user_id != user.pk or not _member(user, profile.organisation, Role.MENTOR):
            raise PermissionDenied
        if profile.status not in (MentorProfile.Status.DRAFT, MentorProfile.Status.REJECTED):
            raise ValidationError(
                _("Ce profil est déjà %(status)s : il n'y a rien à envoyer.")
                % {"status": profile.get_status_display().lower()},
                code="status",
            )
        missing = mentor_profile_missing(profile)
        if missing:
            raise ValidationError(
                _("Avant d'envoyer votre profil, ajoutez : %(missing)s.")
                % {"missing": " ; ".join(missing)},
                code="incomplete",
            )
        profile.status = MentorProfile.Status.SUBMITTED
        profile.submitted_at = timezone.now()
        profile.version += 1
        profile.save(update_fields=["status", "submitted_at", "version", "updated_at"])
        audit_record(
            actor=user,
            action="mentor_profile_submit",
            target=profile,
            organisation=profile.organisation,
        )
        coordinators = User.objects.coordinators_of(profile.organisation_id)
        name = user.get_full_name()
        for coordinator in coordinators:
            _notify(
                recipient=coordinator,
                kind=MentoringNotice.MENTOR_PROFILE_SUBMITTED,
                key=f"mentor-profile-submitted:{profile.pk}:v{profile.version}:{coordinator.pk}",
                subject=lambda: _("Profil de mentor à valider : %(name)s") % {"name": name},
                text=lambda: (
                    _(
                        "%(name)s a envoyé son profil de mentor. Relisez-le pour le valider ou le "
                        "renvoyer avec une remarque."
                    )
                    % {"name": name}
                ),
                path=reverse("mentoring:pool_profile", args=[profile.pk]),
                about=profile,
            )
    return profile


def mentor_profile_review(
    *, coordinator: User, profile: MentorProfile, approve: bool, note: str = ""
) -> MentorProfile:
    """A coordinator of the organisation validates a SUBMITTED profile (it then appears to
    mentees) or sends it back "À revoir" with a note saying what to change (required). The
    mentor is told."""
    note = note.strip()
    with transaction.atomic():
        profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
        require_coordinator_of(coordinator, profile.organisation_id)
        if profile.status != MentorProfile.Status.SUBMITTED:
            raise ValidationError(
                _(
                    "Seul un profil en attente de validation peut être relu ; celui-ci est "
                    "« %(status)s »."
                )
                % {"status": profile.get_status_display()},
                code="status",
            )
        if not approve and not note:
            raise ValidationError(
                {"note": _("Dites au mentor ce qu'il faut revoir : la remarque est obligatoire.")}
            )
        status = MentorProfile.Status
        profile.status = status.VALIDATED if approve else status.REJECTED
        profile.review_note = note
        profile.reviewed_by = coordinator
        profile.reviewed_at = timezone.now()
        profile.version += 1
        profile.save()
        audit_record(
            actor=coordinator,
            action="mentor_profile_review",
            target=profile,
            organisation=profile.organisation,
            data={"status": profile.status},
        )
        # "Profil de mentor à valider" is done, for every coordinator (ADR 0024).
        resolve(profile, MentoringNotice.MENTOR_PROFILE_SUBMITTED)
        reviewer = coordinator.get_full_name() or coordinator.email

        def subject() -> str:
            if approve:
                return _("Votre profil de mentor est validé")
            return _("Votre profil de mentor est à revoir")

        def text() -> str:
            if approve:
                validated = _(
                    "%(reviewer)s, de la coordination, a validé votre profil de mentor : les "
                    "personnes accompagnées peuvent maintenant vous trouver."
                ) % {"reviewer": reviewer}
                return validated + ("\n\n" + note if note else "")
            return _(
                "%(reviewer)s, de la coordination, vous demande de revoir votre profil de "
                "mentor :\n\n%(note)s"
            ) % {"reviewer": reviewer, "note": note}

        _notify(
            recipient=profile.user,
            kind=MentoringNotice.MENTOR_PROFILE_REVIEWED,
            key=f"mentor-profile-reviewed:{profile.pk}:v{profile.version}",
            subject=subject,
            text=text,
            path=reverse("mentoring:mentor_profile"),
            about=profile,
        )
    return profile


def mentor_profile_pause(*, user: User, profile: MentorProfile, paused: bool) -> MentorProfile:
    """The mentor pauses their profile (it takes no new mentee; mentorships under way go on)
    or resumes it. Pausing a paused profile, or resuming an active one, changes nothing."""
    with transaction.atomic():
        profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.user_id != user.pk:
            raise PermissionDenied
        if paused == (profile.paused_at is not None):
            return profile
        profile.paused_at = timezone.now() if paused else None
        profile.version += 1
        profile.save(update_fields=["paused_at", "version", "updated_at"])
        audit_record(
            actor=user,
            action="mentor_profile_pause" if paused else "mentor_profile_resume",
            target=profile,
            organisation=profile.organisation,
        )
    return profile


# -- mentee needs --------------------------------------------------------------------------


@dataclass(frozen=True)
class MenteeNeedsData:
    seeking: bool = True
    target_fiches: list[Metier] = field(default_factory=list)
    help_wanted: list[str] = field(default_factory=list)
    wishes: str = ""
    availability: int = 0
    languages: list[str] = field(default_factory=list)
    mode: str = MeetingPreference.REMOTE
    departement: str = ""
    employer: str = ""
    share_project: bool = False
    share_targets: bool = False
    share_gap: bool = False


def latest_bilan(user: User, organisation: Organisation):
    return (
        Bilan.objects.filter(beneficiary=user, organisation=organisation)
        .order_by("-opened_at", "-id")
        .first()
    )


def mentee_initial_targets(user: User, organisation: Organisation) -> list[Metier]:
    """The fiches of the preferred project of the person's latest bilan (none without one)."""
    bilan = latest_bilan(user, organisation)
    if bilan is None:
        return []
    project = Project.objects.filter(bilan=bilan, preferred=True).first()
    return list(project.targets.order_by("code_rome")) if project else []


def _mentee_write(
    *,
    user: User,
    organisation: Organisation,
    data: MenteeNeedsData,
    expected_version: int | None,
    complete: bool = True,
) -> MenteeProfile:
    if not _member(user, organisation, Role.BENEFICIARY):
        raise PermissionDenied
    departement = departement_normalize(data.departement)
    errors = _logistics_errors(
        help_kinds=data.help_wanted,
        languages=data.languages,
        availability=data.availability,
        mode=data.mode,
        departement=departement,
    )
    if data.seeking and complete:
        if not data.help_wanted:
            errors.setdefault(
                "help", [_("Choisissez au moins une chose sur laquelle être aidé·e.")]
            )
        if not data.languages:
            errors.setdefault("languages", [_("Choisissez au moins une langue.")])
    _raise(errors, {"help": "help_wanted"})
    values = {
        "seeking": data.seeking,
        "help_wanted": [kind for kind in HelpKind.values if kind in data.help_wanted],
        "wishes": data.wishes.strip(),
        "availability": data.availability,
        "languages": [code for code in Language.values if code in data.languages],
        "mode": data.mode,
        "departement": "" if data.mode == MeetingPreference.REMOTE else departement,
        "employer": " ".join(data.employer.split()),
        "share_project": data.share_project,
        "share_targets": data.share_targets,
        "share_gap": data.share_gap,
        "bilan": latest_bilan(user, organisation),
    }
    profile = (
        MenteeProfile.objects.select_for_update()
        .filter(organisation=organisation, user=user)
        .first()
    )
    if profile is None:
        if expected_version is not None:
            version_require(None, expected=expected_version, message=STALE_MESSAGE)
        profile = MenteeProfile.objects.create(organisation=organisation, user=user, **values)
    else:
        if expected_version is None:  # a write that did not come from a form
            profile.version += 1
        else:
            version_bump(profile, expected=expected_version, message=STALE_MESSAGE)
        for name, value in values.items():
            setattr(profile, name, value)
        profile.save()
    profile.target_fiches.set(data.target_fiches)
    return profile


def mentee_profile_save(
    *,
    user: User,
    organisation: Organisation,
    data: MenteeNeedsData,
    expected_version: int = 0,
) -> MenteeProfile:
    """Create or update a beneficiary's needs (they must be a beneficiary of `organisation`).
    `expected_version` is the version they saw (0 before the first save): a profile changed
    since is refused. The profile is linked to their latest bilan; what a mentor may read of
    it follows the three `share_*` consents."""
    with transaction.atomic():
        profile = _mentee_write(
            user=user, organisation=organisation, data=data, expected_version=expected_version
        )
        audit_record(
            actor=user,
            action="mentee_profile_save",
            target=profile,
            organisation=organisation,
            data={
                "share_project": data.share_project,
                "share_targets": data.share_targets,
                "share_gap": data.share_gap,
            },
        )
    return profile


def mentee_needs_preview(*, user: User, organisation: Organisation, data: MenteeNeedsData):
    """What a mentor would read if these needs were saved — exactly `shared_needs` of them —
    computed inside a transaction that is then rolled back: nothing is written."""
    with transaction.atomic():
        profile = _mentee_write(
            user=user,
            organisation=organisation,
            data=data,
            expected_version=None,
            complete=False,
        )
        preview = shared_needs(profile)
        transaction.set_rollback(True)
    return preview


def mentee_cohort_set(*, coordinator: User, profile: MenteeProfile, cohort: str) -> MenteeProfile:
    """A coordinator of the organisation puts a mentee in a cohort (a promotion or programme
    used to run matching rounds); an empty cohort takes them out of it."""
    require_coordinator_of(coordinator, profile.organisation_id)
    cohort = " ".join(cohort.split())
    if len(cohort) > 100:
        raise ValidationError({"cohort": _("100 caractères au plus.")})
    with transaction.atomic():
        MenteeProfile.objects.filter(pk=profile.pk).update(cohort=cohort, updated_at=timezone.now())
        profile.cohort = cohort
        audit_record(
            actor=coordinator,
            action="mentee_cohort_set",
            target=profile,
            organisation=profile.organisation,
            data={"cohort": cohort},
        )
    return profile


# -- declared conflicts --------------------------------------------------------------------


def conflict_declare(
    *,
    coordinator: User,
    mentee: MenteeProfile,
    mentor: MentorProfile,
    reason: str,
    note: str = "",
) -> DeclaredConflict:
    """A coordinator records that `mentee` and `mentor` (both of their organisation) must
    never be matched: suggestions and rounds leave the pair out. A pair is declared once."""
    require_coordinator_of(coordinator, mentee.organisation_id)
    if mentor.organisation_id != mentee.organisation_id:
        raise PermissionDenied
    errors = {}
    if reason not in DeclaredConflict.Reason.values:
        errors["reason"] = [_("Choisissez un motif.")]
    if mentor.user_id == mentee.user_id:
        errors["mentor"] = [_("Une personne ne peut pas être incompatible avec elle-même.")]
    if len(note.strip()) > 300:
        errors["note"] = [_("300 caractères au plus.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if DeclaredConflict.objects.filter(mentee=mentee.user, mentor=mentor).exists():
            raise ValidationError(_("Cette incompatibilité est déjà déclarée."), code="duplicate")
        conflict = DeclaredConflict.objects.create(
            organisation_id=mentee.organisation_id,
            mentee=mentee.user,
            mentor=mentor,
            reason=reason,
            note=note.strip(),
            declared_by=coordinator,
        )
        audit_record(
            actor=coordinator,
            action="mentoring_conflict_declare",
            target=conflict,
            organisation=conflict.organisation,
            data={"reason": reason},
        )
    return conflict


def conflict_remove(*, coordinator: User, conflict: DeclaredConflict) -> None:
    """A coordinator of the organisation lifts a declared incompatibility."""
    require_coordinator_of(coordinator, conflict.organisation_id)
    with transaction.atomic():
        audit_record(
            actor=coordinator,
            action="mentoring_conflict_remove",
            target=conflict,
            organisation=conflict.organisation,
            data={"mentee": conflict.mentee_id, "mentor": conflict.mentor_id},
        )
        conflict.delete()

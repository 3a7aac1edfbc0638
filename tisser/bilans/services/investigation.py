"""Writes on the investigation tools of a bilan: parcours, réussites and the compétences they
suggest, portfolio, needs and aspirations.

Rules shared by every function here:

* only the bilan's beneficiary writes (PermissionDenied otherwise — their consultant reads);
* a closed bilan is read-only (ValidationError, code "closed");
* an update names the version the person started from: if the row changed since, nothing is
  written and StaleVersion carries what was saved meanwhile;
* every write is one transaction with its audit entry (no personal text in the audit data).
"""

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.timezone import localdate, now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.bilans.models import (
    Achievement,
    Aspirations,
    Bilan,
    CompetenceSuggestion,
    Experience,
    ItemKind,
    Phase,
    PortfolioItem,
    SuggestionDecision,
)
from tisser.bilans.suggestions import Suggestion, competences_suggest
from tisser.core.audit import audit_record
from tisser.core.dates import french_date
from tisser.core.errors import StaleVersion
from tisser.core.versioning import version_bump
from tisser.referentiel.models import Competence, Metier, Savoir
from tisser.referentiel.understanding.engine import ENGINE_VERSION

DEFAULT_LEVEL = 2

ASPIRATION_FIELDS = ("mobility", "income", "time", "constraints", "work_setting", "other")
# Before this year, a start date is a typing slip ("0202" for "2002").
EARLIEST_YEAR = 1940
EXPERIENCE_FIELDS = ("kind", "title", "organisation_name", "started_on", "ended_on", "description")
ACHIEVEMENT_FIELDS = ("title", "situation", "action", "result", "experience_id")
ACHIEVEMENT_TEXT_FIELDS = ("title", "situation", "action", "result")
PORTFOLIO_FIELDS = ("level", "preference", "evidence")


# The conflict message of these tools (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "Cette fiche a été enregistrée ailleurs pendant que vous la modifiiez (un autre "
    "onglet, un autre appareil). Votre saisie est conservée : comparez avec la version "
    "enregistrée, puis enregistrez à nouveau."
)


def can_edit(user: User, bilan: Bilan) -> bool:
    """Whether `user` may write on the tools of `bilan`: its beneficiary, while it is open."""
    return (
        user.is_authenticated
        and user.is_active
        and user.pk == bilan.beneficiary_id
        and bilan.status != Phase.CLOSED
    )


def _lock_for_writing(actor: User, bilan_id: int) -> Bilan:
    """The bilan, locked for the transaction, after checking that `actor` may write on it.
    The lock orders the write after a concurrent closing of the bilan."""
    bilan = Bilan.objects.select_for_update().get(pk=bilan_id)
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.beneficiary_id):
        raise PermissionDenied
    if bilan.status == Phase.CLOSED:
        raise ValidationError(
            _("Ce bilan est terminé : ses outils se consultent mais ne se modifient plus."),
            code="closed",
        )
    return bilan


def _audit(actor: User, action: str, target, bilan: Bilan, **data) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=target,
        organisation=bilan.organisation,
        data={"bilan_id": bilan.pk, **data},
    )


# -- parcours -------------------------------------------------------------------------------


def _experience_checked(bilan: Bilan, values: dict[str, Any]) -> dict[str, Any]:
    values = {
        **values,
        "title": values["title"].strip(),
        "organisation_name": values["organisation_name"].strip(),
        "description": values["description"].strip(),
    }
    candidate = Experience(bilan=bilan, **values)
    try:
        candidate.full_clean(exclude=["bilan", "fiches"], validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
    else:
        errors = {}
    started_on, ended_on = values["started_on"], values["ended_on"]
    today = localdate()
    if started_on and started_on > today:
        # The parcours tells what has been lived: an experience has begun by today (a
        # training to come is a project, written in the exploration phase).
        errors.setdefault("started_on", []).append(
            _(
                "Le début ne peut pas être après aujourd'hui (%(today)s) : le parcours "
                "raconte ce que vous avez vécu ; une expérience à venir se note dans vos "
                "projets."
            )
            % {"today": french_date(today)}
        )
    elif started_on and started_on.year < EARLIEST_YEAR:
        errors.setdefault("started_on", []).append(
            _("Vérifiez l'année du début : %(year)s est trop ancienne.") % {"year": started_on.year}
        )
    if started_on and ended_on and ended_on < started_on:
        errors.setdefault("ended_on", []).append(
            _("La fin ne peut pas précéder le début (%(start)s).")
            % {"start": french_date(started_on)}
        )
    if errors:
        raise ValidationError(errors)
    return values


def experience_create(
    *,
    actor: User,
    bilan: Bilan,
    kind: Experience.Kind | str,
    title: str,
    started_on: date,
    ended_on: date | None = None,
    organisation_name: str = "",
    description: str = "",
    fiches: Iterable[Metier] = (),
) -> Experience:
    """Add a step to the parcours (the beneficiary). The end, if any, is not before the
    start; no end means it is still going on."""
    values = _experience_checked(
        bilan,
        {
            "kind": kind,
            "title": title,
            "organisation_name": organisation_name,
            "started_on": started_on,
            "ended_on": ended_on,
            "description": description,
        },
    )
    with transaction.atomic():
        bilan = _lock_for_writing(actor, bilan.pk)
        experience = Experience.objects.create(bilan=bilan, **values)
        experience.fiches.set(list(fiches))
        _audit(actor, "experience.create", experience, bilan)
    return experience


def experience_update(
    *,
    actor: User,
    experience: Experience,
    expected_version: int,
    kind: Experience.Kind | str,
    title: str,
    started_on: date,
    ended_on: date | None,
    organisation_name: str = "",
    description: str = "",
    fiches: Iterable[Metier] | None = None,
) -> Experience:
    """Change a step of the parcours; `fiches` None leaves its fiches métier as they are.
    Version-checked (StaleVersion)."""
    values = _experience_checked(
        experience.bilan,
        {
            "kind": kind,
            "title": title,
            "organisation_name": organisation_name,
            "started_on": started_on,
            "ended_on": ended_on,
            "description": description,
        },
    )
    with transaction.atomic():
        bilan = _lock_for_writing(actor, experience.bilan_id)
        version_bump(experience, expected=expected_version, message=STALE_MESSAGE, **values)
        if fiches is not None:
            experience.fiches.set(list(fiches))
        _audit(actor, "experience.update", experience, bilan, version=experience.version)
    return experience


def experience_delete(*, actor: User, experience: Experience) -> None:
    """Remove a step of the parcours. Its réussites stay, no longer attached to it."""
    with transaction.atomic():
        bilan = _lock_for_writing(actor, experience.bilan_id)
        _audit(actor, "experience.delete", experience, bilan)
        experience.delete()


def experience_fiche_add(*, actor: User, experience: Experience, metier: Metier) -> Experience:
    """Link a fiche métier to a step of the parcours (already linked: nothing changes)."""
    with transaction.atomic():
        bilan = _lock_for_writing(actor, experience.bilan_id)
        if not experience.fiches.filter(pk=metier.pk).exists():
            experience.fiches.add(metier)
            _audit(actor, "experience.fiche_add", experience, bilan, code_rome=metier.code_rome)
    return experience


def experience_fiche_remove(*, actor: User, experience: Experience, metier: Metier) -> Experience:
    """Unlink a fiche métier from a step of the parcours (not linked: nothing changes)."""
    with transaction.atomic():
        bilan = _lock_for_writing(actor, experience.bilan_id)
        if experience.fiches.filter(pk=metier.pk).exists():
            experience.fiches.remove(metier)
            _audit(actor, "experience.fiche_remove", experience, bilan, code_rome=metier.code_rome)
    return experience


# -- réussites and their suggested compétences ------------------------------------------------


def _achievement_checked(bilan: Bilan, values: dict[str, Any]) -> dict[str, Any]:
    values = {
        key: value.strip() if isinstance(value, str) else value for key, value in values.items()
    }
    experience = values.pop("experience")
    if experience is not None and experience.bilan_id != bilan.pk:
        raise ValidationError({"experience": [_("Choisissez une expérience de votre parcours.")]})
    candidate = Achievement(bilan=bilan, experience=experience, **values)
    candidate.full_clean(exclude=["bilan", "experience"])
    return {**values, "experience_id": experience.pk if experience else None}


def achievement_text(values: dict) -> str:
    """The text of a réussite that its suggestions are computed from."""
    return "\n".join(values[field] for field in ACHIEVEMENT_TEXT_FIELDS)


def achievement_suggestions_refresh(
    achievement: Achievement, found: list[Suggestion] | None = None
) -> list[CompetenceSuggestion]:
    """Store what the text of a réussite suggests: the pending suggestions are replaced, the
    ones the beneficiary already accepted or rejected are kept and never suggested again.
    `found` is `competences_suggest` of its text, computed by the caller BEFORE its write
    transaction (8.7 s cold: the ROME index loads; ADR 0010): computed here when omitted, for
    callers outside a transaction only."""
    if found is None:
        found = competences_suggest(
            achievement_text({f: getattr(achievement, f) for f in ACHIEVEMENT_TEXT_FIELDS})
        )
    decided = set(
        achievement.suggestions.exclude(status=CompetenceSuggestion.Status.PENDING).values_list(
            "code_ogr", flat=True
        )
    )
    achievement.suggestions.filter(status=CompetenceSuggestion.Status.PENDING).delete()
    return CompetenceSuggestion.objects.bulk_create(
        CompetenceSuggestion(
            achievement=achievement,
            kind=item.kind,
            code_ogr=item.code_ogr,
            label=item.label,
            score=item.score,
            rank=rank,
            words=", ".join(item.words)[:300],
            fiche=item.fiche[:255],
        )
        for rank, item in enumerate(found, start=1)
        if item.code_ogr not in decided
    )


def achievement_create(
    *,
    actor: User,
    bilan: Bilan,
    title: str,
    situation: str,
    action: str,
    result: str,
    experience: Experience | None = None,
) -> Achievement:
    """Tell a réussite (situation, action, result), possibly attached to a step of the
    parcours; the ROME compétences its text suggests are computed on the way."""
    values = _achievement_checked(
        bilan,
        {
            "title": title,
            "situation": situation,
            "action": action,
            "result": result,
            "experience": experience,
        },
    )
    # Outside the transaction: the write lock is not held while the index loads (ADR 0010).
    found = competences_suggest(achievement_text(values))
    with transaction.atomic():
        bilan = _lock_for_writing(actor, bilan.pk)
        achievement = Achievement.objects.create(bilan=bilan, **values)
        suggestions = achievement_suggestions_refresh(achievement, found)
        _audit(actor, "achievement.create", achievement, bilan, suggestions=len(suggestions))
    return achievement


def achievement_update(
    *,
    actor: User,
    achievement: Achievement,
    expected_version: int,
    title: str,
    situation: str,
    action: str,
    result: str,
    experience: Experience | None = None,
) -> Achievement:
    """Rewrite a réussite (version-checked); its pending suggestions follow the new text."""
    values = _achievement_checked(
        achievement.bilan,
        {
            "title": title,
            "situation": situation,
            "action": action,
            "result": result,
            "experience": experience,
        },
    )
    found = competences_suggest(achievement_text(values))
    with transaction.atomic():
        bilan = _lock_for_writing(actor, achievement.bilan_id)
        version_bump(achievement, expected=expected_version, message=STALE_MESSAGE, **values)
        suggestions = achievement_suggestions_refresh(achievement, found)
        _audit(
            actor,
            "achievement.update",
            achievement,
            bilan,
            version=achievement.version,
            suggestions=len(suggestions),
        )
    return achievement


def achievement_delete(*, actor: User, achievement: Achievement) -> None:
    """Remove a réussite and its suggestions. The portfolio items it backed stay; they
    only lose it as evidence."""
    with transaction.atomic():
        bilan = _lock_for_writing(actor, achievement.bilan_id)
        _audit(actor, "achievement.delete", achievement, bilan)
        achievement.delete()


def suggestion_contributor(key: str) -> str:
    """The keyed hash that tells one bilan's decisions from another's without naming it."""
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()


def suggestion_decision_record(
    bilan: Bilan, suggestion: CompetenceSuggestion, *, accepted: bool
) -> SuggestionDecision:
    """Count a first decision on a suggestion for the organisation's figures (ADR 0040): its
    rank and the answer, never the text or who; a later change of mind is not counted."""
    return SuggestionDecision.objects.create(
        organisation_id=bilan.organisation_id,
        contributor=suggestion_contributor(f"suggestions:{bilan.pk}"),
        rank=suggestion.rank,
        kind=suggestion.kind,
        accepted=accepted,
        engine=ENGINE_VERSION,
        decided_on=localdate(),
    )


def suggestion_accept(*, actor: User, suggestion: CompetenceSuggestion) -> PortfolioItem:
    """Accept a suggested compétence: it enters the portfolio (level 2, the réussite's title
    as evidence, the réussite linked), or, already there, gets the réussite as one more piece
    of evidence. A rejected suggestion may be accepted after all; accepting twice changes
    nothing."""
    achievement = suggestion.achievement
    with transaction.atomic():
        bilan = _lock_for_writing(actor, achievement.bilan_id)
        suggestion = CompetenceSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        item = PortfolioItem.objects.filter(
            bilan=bilan, kind=suggestion.kind, code_ogr=suggestion.code_ogr
        ).first()
        created = item is None
        if item is None:
            item = PortfolioItem.objects.create(
                bilan=bilan,
                kind=suggestion.kind,
                code_ogr=suggestion.code_ogr,
                label=suggestion.label,
                level=DEFAULT_LEVEL,
                evidence=achievement.title,
            )
        item.achievements.add(achievement)
        if suggestion.status == CompetenceSuggestion.Status.PENDING:
            suggestion_decision_record(bilan, suggestion, accepted=True)
        if suggestion.status != CompetenceSuggestion.Status.ACCEPTED:
            suggestion.status = CompetenceSuggestion.Status.ACCEPTED
            suggestion.decided_at = now()
            suggestion.save(update_fields=["status", "decided_at"])
            _audit(
                actor,
                "competence_suggestion.accept",
                suggestion,
                bilan,
                code_ogr=suggestion.code_ogr,
                portfolio_item_id=item.pk,
                portfolio_item_created=created,
            )
    return item


def suggestion_reject(*, actor: User, suggestion: CompetenceSuggestion) -> CompetenceSuggestion:
    """Set a suggested compétence aside: it is no longer proposed for this réussite. An
    accepted one is not rejected afterwards (its portfolio item is removed from the
    portfolio instead)."""
    with transaction.atomic():
        bilan = _lock_for_writing(actor, suggestion.achievement.bilan_id)
        suggestion = CompetenceSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status == CompetenceSuggestion.Status.ACCEPTED:
            raise ValidationError(
                _(
                    "Cette compétence est déjà dans votre portefeuille : retirez-la du "
                    "portefeuille si elle ne vous correspond pas."
                ),
                code="accepted",
            )
        if suggestion.status == CompetenceSuggestion.Status.PENDING:
            suggestion_decision_record(bilan, suggestion, accepted=False)
            suggestion.status = CompetenceSuggestion.Status.REJECTED
            suggestion.decided_at = now()
            suggestion.save(update_fields=["status", "decided_at"])
            _audit(
                actor,
                "competence_suggestion.reject",
                suggestion,
                bilan,
                code_ogr=suggestion.code_ogr,
            )
    return suggestion


# -- portfolio ------------------------------------------------------------------------------


def _portfolio_checked(
    bilan: Bilan, *, level: int, preference: str, evidence: str, achievements
) -> tuple[dict[str, Any], list[Achievement]]:
    errors: dict[str, list[str]] = {}
    if level not in (1, 2, 3, 4):
        errors["level"] = [_("Choisissez un niveau de 1 à 4.")]
    if preference not in PortfolioItem.Preference.values:
        errors["preference"] = [_("Dites si vous aimez utiliser cette compétence.")]
    achievements = list(achievements)
    if any(achievement.bilan_id != bilan.pk for achievement in achievements):
        errors["achievements"] = [_("Choisissez parmi vos réussites.")]
    if errors:
        raise ValidationError(errors)
    return {"level": level, "preference": preference, "evidence": evidence.strip()}, achievements


def rome_item_label(kind: ItemKind | str, code_ogr: int) -> str | None:
    """The label of a compétence or savoir of the référentiel, None if there is none."""
    if kind not in ItemKind.values:
        return None
    model = Competence if kind == ItemKind.COMPETENCE else Savoir
    return model.objects.filter(code_ogr=code_ogr).values_list("libelle", flat=True).first()


def portfolio_item_add(
    *,
    actor: User,
    bilan: Bilan,
    kind: ItemKind | str,
    code_ogr: int,
    level: int = DEFAULT_LEVEL,
    preference: PortfolioItem.Preference | str = PortfolioItem.Preference.NEUTRAL,
    evidence: str = "",
    achievements: Iterable[Achievement] = (),
) -> PortfolioItem:
    """Put a compétence or a savoir of the ROME in the portfolio, with the beneficiary's
    level (1–4), whether they like using it, evidence and the réussites that show it. The
    label is the référentiel's; an item is in a portfolio once."""
    values, achievements = _portfolio_checked(
        bilan, level=level, preference=preference, evidence=evidence, achievements=achievements
    )
    label = rome_item_label(kind, code_ogr)
    if label is None:
        raise ValidationError(
            _("Cet élément n'existe pas dans le référentiel ROME : cherchez-le à nouveau."),
            code="unknown",
        )
    with transaction.atomic():
        bilan = _lock_for_writing(actor, bilan.pk)
        if PortfolioItem.objects.filter(bilan=bilan, kind=kind, code_ogr=code_ogr).exists():
            raise ValidationError(
                _("« %(label)s » est déjà dans votre portefeuille.") % {"label": label},
                code="duplicate",
            )
        item = PortfolioItem.objects.create(
            bilan=bilan, kind=kind, code_ogr=code_ogr, label=label, **values
        )
        item.achievements.set(achievements)
        _audit(actor, "portfolio_item.add", item, bilan, kind=str(kind), code_ogr=code_ogr)
    return item


def portfolio_item_update(
    *,
    actor: User,
    item: PortfolioItem,
    expected_version: int,
    level: int,
    preference: PortfolioItem.Preference | str,
    evidence: str,
    achievements: Iterable[Achievement],
) -> PortfolioItem:
    """Change the level, liking, evidence and réussites of a portfolio item
    (version-checked)."""
    values, achievements = _portfolio_checked(
        item.bilan, level=level, preference=preference, evidence=evidence, achievements=achievements
    )
    with transaction.atomic():
        bilan = _lock_for_writing(actor, item.bilan_id)
        version_bump(item, expected=expected_version, message=STALE_MESSAGE, **values)
        item.achievements.set(achievements)
        _audit(actor, "portfolio_item.update", item, bilan, version=item.version)
    return item


def portfolio_item_remove(*, actor: User, item: PortfolioItem) -> None:
    """Take an item out of the portfolio. The suggestion it came from stays accepted, so
    it is not proposed again for the same réussite."""
    with transaction.atomic():
        bilan = _lock_for_writing(actor, item.bilan_id)
        _audit(actor, "portfolio_item.remove", item, bilan, code_ogr=item.code_ogr)
        item.delete()


# -- needs and aspirations ------------------------------------------------------------------


def aspirations_save(
    *,
    actor: User,
    bilan: Bilan,
    expected_version: int,
    mobility: str = "",
    income: str = "",
    time: str = "",
    constraints: str = "",
    work_setting: str = "",
    other: str = "",
) -> Aspirations:
    """Save needs and aspirations. `expected_version` is the version the person started
    from, 0 when there was nothing yet; a save in between is a StaleVersion."""
    values = {
        "mobility": mobility.strip(),
        "income": income.strip(),
        "time": time.strip(),
        "constraints": constraints.strip(),
        "work_setting": work_setting.strip(),
        "other": other.strip(),
    }
    with transaction.atomic():
        bilan = _lock_for_writing(actor, bilan.pk)
        aspirations = Aspirations.objects.filter(bilan=bilan).first()
        if aspirations is None:
            if expected_version != 0:
                raise StaleVersion(STALE_MESSAGE, current=None)
            aspirations = Aspirations.objects.create(bilan=bilan, **values)
        else:
            version_bump(aspirations, expected=expected_version, message=STALE_MESSAGE, **values)
        _audit(actor, "aspirations.save", aspirations, bilan, version=aspirations.version)
    return aspirations

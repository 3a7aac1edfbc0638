"""How pages and the API fetch a bilan and what belongs to it (ADR 0008).

Every helper starts from `visible_to` and ends in `get_object_or_404`: a bilan someone does
not take part in, or a part of another bilan, answers 404 — never a 403 that would confirm
it exists. A coordinator sees bilans through aggregates only, so none of these lets them in.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from tisser.bilans.models import (
    Achievement,
    Bilan,
    Experience,
    Funding,
    PortfolioItem,
    Project,
    ProjectStep,
)
from tisser.bilans.services.contract import contract_applies
from tisser.bilans.services.convention import convention_applies


def access_bilan(user, bilan_id: int) -> Bilan:
    """A bilan `user` takes part in: as its beneficiary or as the consultant who runs it
    (`Bilan.objects.involving`). Reading pages (entretiens, tools, exploration, synthèse)."""
    return get_object_or_404(
        Bilan.objects.involving(user).select_related("beneficiary", "consultant", "organisation"),
        pk=bilan_id,
    )


def access_bilan_run(user, bilan_id: int) -> Bilan:
    """A bilan `user` runs as its consultant: the phases, entretiens, synthèse to write."""
    return get_object_or_404(
        Bilan.objects.visible_to(user)
        .filter(consultant=user)
        .select_related("beneficiary", "organisation", "consent"),
        pk=bilan_id,
    )


def access_own_bilan(user, bilan_id: int) -> Bilan:
    """A bilan `user` is the beneficiary of: the only one who writes its working documents."""
    return get_object_or_404(
        Bilan.objects.visible_to(user).filter(beneficiary=user).select_related("organisation"),
        pk=bilan_id,
    )


def access_employer_bilan_run(user, bilan_id: int) -> Bilan:
    """A bilan `user` runs whose funding calls for a convention (the employer's skills plan,
    a congé de reclassement); a bilan without one answers 404 like any other."""
    bilan = access_bilan_run(user, bilan_id)
    if not convention_applies(bilan):
        raise Http404
    return bilan


def access_personal_bilan_run(user, bilan_id: int) -> Bilan:
    """A bilan `user` runs that the person funds themselves (a contract); others answer 404."""
    bilan = access_bilan_run(user, bilan_id)
    if not contract_applies(bilan):
        raise Http404
    return bilan


def access_experience(user, bilan: Bilan, experience_id: int) -> Experience:
    """An experience of `bilan` (already fetched through one of the helpers above)."""
    return get_object_or_404(
        Experience.objects.visible_to(user).filter(bilan=bilan), pk=experience_id
    )


def access_achievement(user, bilan: Bilan, achievement_id: int) -> Achievement:
    """An achievement of `bilan`."""
    return get_object_or_404(
        Achievement.objects.visible_to(user).filter(bilan=bilan), pk=achievement_id
    )


def access_portfolio_item(user, bilan: Bilan, item_id: int) -> PortfolioItem:
    """A portfolio item of `bilan`."""
    return get_object_or_404(PortfolioItem.objects.visible_to(user).filter(bilan=bilan), pk=item_id)


def access_project(user, bilan: Bilan, project_id: int) -> Project:
    """A project of `bilan`."""
    return get_object_or_404(Project.objects.visible_to(user).filter(bilan=bilan), pk=project_id)


def access_step(user, project: Project, step_id: int) -> ProjectStep:
    """A step of `project` (itself fetched with `access_project`)."""
    return get_object_or_404(
        ProjectStep.objects.filter(
            project__in=Project.objects.visible_to(user), project=project
        ).select_related("project__bilan"),
        pk=step_id,
    )


def access_cpf_bilan_run(user, bilan_id: int) -> Bilan:
    """A CPF-funded bilan `user` runs: its CPF dossier; any other answers 404."""
    bilan = access_bilan_run(user, bilan_id)
    if bilan.funding != Funding.CPF:
        raise Http404
    return bilan


def access_cpf_bilan_coordinated(user, bilan_id: int) -> Bilan:
    """A CPF-funded bilan of an organisation `user` coordinates: its CPF dossier is
    management data, recorded by the consultant or a coordinator. Any other answers 404."""
    return get_object_or_404(
        Bilan.objects.filter(
            organisation_id__in=user.memberships.coordinated_organisation_ids(),
            funding=Funding.CPF,
        ).select_related("beneficiary", "consultant", "organisation"),
        pk=bilan_id,
    )


def access_bilan_coordinated(user, bilan_id: int) -> Bilan:
    """A bilan of an organisation `user` coordinates, for its management view and its
    hand-over (ADR 0021): management data only — never its private notes or working
    documents, which no page reached from here shows. Any other bilan answers 404."""
    return get_object_or_404(
        Bilan.objects.filter(
            organisation_id__in=user.memberships.coordinated_organisation_ids()
        ).select_related("beneficiary", "consultant", "organisation"),
        pk=bilan_id,
    )

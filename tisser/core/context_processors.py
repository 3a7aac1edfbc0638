from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from tisser.core.enums import Role

SPACE_HOME = {
    Role.BENEFICIARY: ("beneficiary:home", _("Mon parcours")),
    Role.CONSULTANT: ("consultant:home", _("Mes bénéficiaires")),
    Role.MENTOR: ("mentor:home", _("Mon espace mentor")),
    Role.COORDINATOR: ("coordinator:home", _("Coordination")),
}


def navigation(request):
    """The role-aware main navigation: (url, label, is_current) for the signed-in person."""
    membership = getattr(request, "membership", None)
    items = _navigation_items(membership.role if membership is not None else None)
    path = request.path
    # The current entry is the one whose address is the longest start of this page's:
    # /coordination/bilans/ belongs to "Indicateurs des bilans", not to "Coordination".
    matching = [
        url for url, _label in items if path == url or (url != "/" and path.startswith(url))
    ]
    current = max(matching, key=len, default=None)
    nav = [(url, label, url == current) for url, label in items]
    return {"main_nav": nav, "membership": membership}


def _navigation_items(role: str | None) -> tuple:
    """The entries of a role's navigation, (url, label). Every page shows them: the addresses
    are reversed once per role and script prefix, not on each request (the labels stay lazy,
    translated when the page renders)."""
    return _navigation_items_reversed(role, get_script_prefix())


@lru_cache(maxsize=64)
def _navigation_items_reversed(role: str | None, script_prefix: str) -> tuple:
    items = []
    if role is not None:
        url_name, label = SPACE_HOME[Role(role)]
        items.append((reverse(url_name), label))
        if role == Role.BENEFICIARY:
            items.append((reverse("bilans:mine"), _("Mon bilan")))
            items.append((reverse("network:home"), _("Mon réseau")))
            items.append((reverse("mentoring:home"), _("Mentorat")))
            items.append((reverse("peers:home"), _("Groupe de pairs")))
        if role == Role.COORDINATOR:
            items.append((reverse("coordinator:bilans"), _("Indicateurs des bilans")))
            items.append((reverse("mentoring:home"), _("Mentorat")))
            items.append((reverse("peers:formations"), _("Groupes de pairs")))
        items.append((reverse("meetings:list"), _("Rencontres")))
        if role in (Role.CONSULTANT, Role.COORDINATOR):
            items.append((reverse("invitations:list"), _("Invitations")))
            items.append((reverse("network:guides"), _("Guides d'entretien")))
    items.append((reverse("metiers:search"), _("Métiers")))
    return tuple(items)


@receiver(setting_changed)
def _navigation_forget(*, setting, **kwargs):
    """A test that swaps the URLconf gets its own addresses."""
    if setting == "ROOT_URLCONF":
        _navigation_items_reversed.cache_clear()

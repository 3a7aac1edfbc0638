from django.urls import reverse
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
    items = []
    membership = getattr(request, "membership", None)
    if membership is not None:
        url_name, label = SPACE_HOME[membership.role]
        items.append((reverse(url_name), label))
        if membership.role == Role.BENEFICIARY:
            items.append((reverse("bilans:mine"), _("Mon bilan")))
            items.append((reverse("network:home"), _("Mon réseau")))
            items.append((reverse("mentoring:home"), _("Mentorat")))
            items.append((reverse("peers:home"), _("Groupe de pairs")))
        if membership.role == Role.COORDINATOR:
            items.append((reverse("coordinator:bilans"), _("Indicateurs des bilans")))
            items.append((reverse("mentoring:home"), _("Mentorat")))
            items.append((reverse("peers:formations"), _("Groupes de pairs")))
        items.append((reverse("meetings:list"), _("Rencontres")))
        if membership.role in (Role.CONSULTANT, Role.COORDINATOR):
            items.append((reverse("invitations:list"), _("Invitations")))
            items.append((reverse("network:guides"), _("Guides d'entretien")))
    items.append((reverse("metiers:search"), _("Métiers")))
    path = request.path
    # The current entry is the one whose address is the longest start of this page's:
    # /coordination/bilans/ belongs to "Indicateurs des bilans", not to "Coordination".
    matching = [
        url for url, _label in items if path == url or (url != "/" and path.startswith(url))
    ]
    current = max(matching, key=len, default=None)
    nav = [(url, label, url == current) for url, label in items]
    return {"main_nav": nav, "membership": membership}

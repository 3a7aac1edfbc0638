"""French plurals: 0 and 1 take the singular (« 0 tenue », « 1 tenue », « 2 tenues »)."""

from django.utils import translation
from django.utils.translation import ngettext

from tisser.bilans.models import Phase
from tisser.core.enums import Role


def test_one_is_singular_and_two_plural():
    with translation.override("fr"):
        assert ngettext("%(n)s tenue", "%(n)s tenues", 1) % {"n": 1} == "1 tenue"
        assert ngettext("%(n)s tenue", "%(n)s tenues", 2) % {"n": 2} == "2 tenues"
        assert Role.MENTOR.count_label(1) == "mentor"
        assert Role.MENTOR.count_label(8) == "mentors"


def test_zero_takes_the_singular():
    """The French catalogue (tisser/locale/fr) says n > 1: « 0 bilan terminé »."""
    with translation.override("fr"):
        assert Phase.CLOSED.count_label(0) == "bilan terminé"
        assert Phase.CLOSED.count_label(1) == "bilan terminé"
        assert Phase.CLOSED.count_label(2) == "bilans terminés"
        assert Role.MENTOR.count_label(0) == "mentor"
    with translation.override("en"):
        assert Phase.CLOSED.count_label(0) != Phase.CLOSED.count_label(1)

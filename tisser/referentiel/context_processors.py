from django.core.cache import cache

from tisser.referentiel.models import RomeVersion


def rome_attribution(request):
    """The ROME version shown in the footer attribution, cached for a minute across requests."""

    def current_number():
        version = RomeVersion.objects.current()
        return version.number if version else 0

    return {"rome_version_number": cache.get_or_set("rome:current-number", current_number, 60)}

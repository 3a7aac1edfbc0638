from django.conf import settings
from django.urls import include, path

from tisser.api.urls import api
from tisser.www.account.language import set_language

urlpatterns = [
    path("comptes/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("", include("tisser.www.urls")),
]

# Another role's page or someone else's object answers 404, never 403 (ADR 0028).
handler403 = "tisser.www.errors.permission_denied"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

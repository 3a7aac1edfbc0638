from ninja import NinjaAPI
from ninja.security import django_auth

from tisser.api.metiers import router as metiers_router
from tisser.api.security import docs_login_required

api = NinjaAPI(
    title="Tisser API",
    version="1",
    urls_namespace="api-v1",
    auth=django_auth,
    docs_url="/docs",
    docs_decorator=docs_login_required,
)
api.add_router("/metiers", metiers_router)

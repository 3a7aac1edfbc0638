"""The coordinator's page of the public pages (Qualiopi indicators 1 and 2, ADR 0038): edit
the offer, preview both pages, publish or withdraw each (asked first: the public sees it at
once), and the addresses to copy. Another role gets the coordination space's 404; the
services check the coordinator again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tisser.accounts.models import Organisation
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.quality.services.public import (
    OFFER_FIELDS,
    PublicPage,
    public_offer_of,
    public_offer_save,
    public_page_publish,
)
from tisser.www.confirmation import confirmation_asked
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.quality.public_pages import offer_context, results_context
from tisser.www.quality.publication_forms import PublicOfferForm


def _organisation(request) -> Organisation:
    return Organisation.objects.get(pk=request.membership.organisation_id)


def _pages(request, offer) -> list[tuple]:
    """For each page: its name, title, whether and since when it is published, its public
    address and its preview's."""
    slug = offer.organisation.slug
    return [
        (
            PublicPage.OFFER.value,
            _("La page de l'offre"),
            offer.offer_published,
            offer.offer_published_at,
            request.build_absolute_uri(reverse("quality_public:offer", kwargs={"slug": slug})),
            reverse("quality:publication_preview", kwargs={"page": "offre"}),
        ),
        (
            PublicPage.RESULTS.value,
            _("La page des résultats"),
            offer.results_published,
            offer.results_published_at,
            request.build_absolute_uri(reverse("quality_public:results", kwargs={"slug": slug})),
            reverse("quality:publication_preview", kwargs={"page": "resultats"}),
        ),
    ]


def _initial(offer) -> dict:
    return {**{name: getattr(offer, name) for name in OFFER_FIELDS}, "version": offer.version}


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def publication(request):
    organisation = _organisation(request)
    offer = public_offer_of(organisation)
    conflict = None
    if request.method == "POST":
        form = PublicOfferForm(request.POST)
        if form.is_valid():
            try:
                offer = public_offer_save(
                    coordinator=request.user,
                    organisation=organisation,
                    values=form.values(),
                    expected_version=form.cleaned_data["version"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error, fields=list(OFFER_FIELDS))
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _("L'offre est enregistrée.")
                    + (
                        " " + _("La page publique l'affiche dès maintenant.")
                        if offer.offer_published
                        else ""
                    ),
                )
                return redirect("quality:publication")
    else:
        form = PublicOfferForm(initial=_initial(offer))
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "www/quality/publication/edit.html",
        {
            "form": form,
            "offer": offer,
            "organisation": organisation,
            "conflict": conflict,
            "pages": _pages(request, offer),
        },
        status=status,
    )


# For each page and choice: the question asked, what it does, the button, what is said after.
_QUESTIONS = {
    (PublicPage.OFFER, True): (
        gettext_lazy("Publier la page de l'offre ?"),
        gettext_lazy("Toute personne qui a l'adresse de la page pourra la lire, sans compte."),
        gettext_lazy("Publier l'offre"),
        gettext_lazy("La page de l'offre est publiée."),
    ),
    (PublicPage.OFFER, False): (
        gettext_lazy("Retirer la page de l'offre ?"),
        gettext_lazy(
            "Son adresse ne montrera plus rien au public, jusqu'à ce que vous la publiiez à "
            "nouveau."
        ),
        gettext_lazy("Retirer l'offre"),
        gettext_lazy("La page de l'offre est retirée : le public ne la voit plus."),
    ),
    (PublicPage.RESULTS, True): (
        gettext_lazy("Publier la page des résultats ?"),
        gettext_lazy(
            "Toute personne qui a l'adresse de la page pourra lire les chiffres de "
            "l'organisme, recalculés chaque jour ; un chiffre qui porte sur moins de 5 "
            "personnes reste masqué."
        ),
        gettext_lazy("Publier les résultats"),
        gettext_lazy("La page des résultats est publiée."),
    ),
    (PublicPage.RESULTS, False): (
        gettext_lazy("Retirer la page des résultats ?"),
        gettext_lazy(
            "Son adresse ne montrera plus rien au public, jusqu'à ce que vous la publiiez à "
            "nouveau."
        ),
        gettext_lazy("Retirer les résultats"),
        gettext_lazy("La page des résultats est retirée : le public ne la voit plus."),
    ),
}


@role_required(Role.COORDINATOR)
@require_POST
def publication_publish(request):
    organisation = _organisation(request)
    try:
        page = PublicPage(request.POST.get("page", ""))
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise Http404 from None
    published = request.POST.get("published") == "1"
    question, consequence, label, done = _QUESTIONS[(page, published)]
    asked = confirmation_asked(
        request,
        question=str(question),
        consequences=[str(consequence)],
        confirm_label=str(label),
        cancel_url=reverse("quality:publication"),
    )
    if asked is not None:
        return asked
    try:
        public_page_publish(
            coordinator=request.user,
            organisation=organisation,
            page=page,
            published=published,
            expected_version=version,
        )
    except StaleVersion:
        messages.error(
            request,
            _(
                "Quelqu'un a modifié la publication entre-temps : voici son état actuel. "
                "Recommencez si besoin."
            ),
        )
    else:
        messages.success(request, str(done))
    return redirect("quality:publication")


@role_required(Role.COORDINATOR)
@require_GET
def publication_preview(request, page: str):
    """The public page as the public would read it, published or not, for the coordinator."""
    organisation = _organisation(request)
    offer = public_offer_of(organisation)
    if page == "offre":
        context = offer_context(offer, results_published=offer.results_published)
        template = "www/quality/public/offer.html"
    elif page == "resultats":
        context = results_context(offer)
        template = "www/quality/public/results.html"
    else:
        raise Http404
    return render(request, template, {**context, "preview": True})

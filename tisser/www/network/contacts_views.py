"""Mon réseau: the home page, contacts (list, form, detail, deletion), duplicates and their
merge, the fiche picker, and the consultant's view of one beneficiary's network.

Contacts belong to the beneficiary: these pages are theirs, someone else's contact is a
404. Their consultant sees counts always, details only when shared (`for_beneficiary`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.accounts.access import access_invited_beneficiary
from tisser.bilans.models import ShortlistEntry
from tisser.core.access import role_required
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.mentoring.models import Mentorship
from tisser.network import services
from tisser.network.access import access_contact
from tisser.network.information import contact_information_text, information_subject
from tisser.network.models import Contact, InformationalInterview, NetworkSharing
from tisser.network.phones import phone_display
from tisser.network.summary import network_summary
from tisser.peers.access import joined_groups
from tisser.referentiel.models import Metier, RomeVersion
from tisser.referentiel.search import search_metiers
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.network.contacts_forms import ContactFilterForm, ContactForm, SharingForm

PAGE_SIZE = 25
HOME_OVERDUE = 10  # late enquêtes named on the home page; the list shows them all
SEARCH_MAX_LENGTH = 200


# A person's own rows: `owner=user` is the first branch of `visible_to`, so
# `visible_to(user).filter(owner=user)` is exactly `owned_by(user)`, without the consultant's
# branch (two subqueries) that every page built and PostgreSQL planned for nothing.


def own_contacts(user):
    return Contact.objects.owned_by(user)


def own_interviews(user):
    return InformationalInterview.objects.owned_by(user)


# -- the fiche picker -------------------------------------------------------------------------


def picker_context(owner, *, selected: str, query: str, name: str = "metier") -> dict:
    """The choices of the fiche picker: none, the one selected, the person's shortlisted
    fiches, then what the search found."""
    query = query.strip()[:SEARCH_MAX_LENGTH]
    version = RomeVersion.objects.current()
    options: list[tuple[str, str]] = []
    selected = selected.strip().upper()
    if selected:
        metier = Metier.objects.filter(code_rome=selected).first()
        if metier is not None:
            options.append((metier.code_rome, metier.libelle))
    shortlisted = (
        ShortlistEntry.objects.filter(bilan__beneficiary=owner)
        .select_related("metier")
        .order_by("metier__libelle")
    )
    options += [(entry.metier.code_rome, entry.metier.libelle) for entry in shortlisted]
    results = search_metiers(query) if query and version is not None else []
    options += [(result.code_rome, result.libelle) for result in results]
    unique = list(dict.fromkeys(options))
    return {
        "name": name,
        "query": query,
        "selected": selected,
        "options": unique,
        "searched": bool(query),
        "found": len(results),
        "rome_version": version,
    }


@role_required(Role.BENEFICIARY)
def metier_picker(request):
    """The picker's choices for a search (HTMX); without JS, the form's "Chercher" button
    does the same inside the whole form."""
    name = request.GET.get("name", "metier")
    if name not in ("metier", "fiche"):
        name = "metier"
    picker = picker_context(
        request.user,
        selected=request.GET.get(name, ""),
        query=request.GET.get(f"{name}_q", ""),
        name=name,
    )
    return render(request, "www/network/_metier_choices.html", {"picker": picker})


# -- home ---------------------------------------------------------------------------------------


@role_required(Role.BENEFICIARY)
def home(request):
    today = timezone.localdate()
    # The last activity is what the consultant's view shows, not this page.
    summary = network_summary(request.user, last_activity=False)
    # Whether each open enquête is overdue is read from five columns; only the rows shown
    # (`HOME_OVERDUE` late ones, the next five) are read whole.
    open_ones = own_interviews(request.user).filter(
        Q(outcome=InformationalInterview.Outcome.OPEN) | services.awaiting_thanks()
    )
    late, waiting = [], []
    for interview in open_ones.only("id", "stage", "outcome", "stage_changed_at", "meeting_at"):
        late_on = services.interview_overdue(interview, today)
        (late if late_on is not None else waiting).append(interview)
    late.sort(key=lambda interview: interview.stage_changed_at)
    waiting.sort(key=lambda interview: interview.stage_changed_at)
    shown_ids = [interview.pk for interview in late[:HOME_OVERDUE] + waiting[:5]]
    by_id = open_ones.select_related("contact", "metier").in_bulk(shown_ids)
    rows = [
        {"interview": by_id[pk], "action": services.interview_next_action(by_id[pk], today)}
        for pk in shown_ids
        if pk in by_id
    ]
    sharing = NetworkSharing.objects.filter(owner=request.user).first()
    # `mentee=user` is a branch of `visible_to`: their own mentorships, without the branches
    # (mentor, coordination) that the filter would discard anyway.
    mentorships = (
        Mentorship.objects.of_member(request.user)
        .filter(mentee=request.user)
        .select_related("mentor__user")
        .order_by("status", "-started_at", "-pk")
    )
    # "Peers appear in each member's network view": the groups one has joined, once
    # published — the rule of /groupes/ and of the commitments and help pages it links to
    # (a group still in the coordination's review is nothing to its people yet).
    peer_groups = joined_groups(request.user).order_by("status", "name", "pk")
    return render(
        request,
        "www/network/home.html",
        {
            "summary": summary,
            "mentorships": mentorships,
            "peer_groups": peer_groups,
            "overdue": [row for row in rows if row["action"].overdue],
            "overdue_count": len(late),
            "upcoming": [row for row in rows if not row["action"].overdue][:5],
            "sharing_form": SharingForm(
                initial={"with_consultant": bool(sharing and sharing.with_consultant)}
            ),
            "shared": bool(sharing and sharing.with_consultant),
            "duplicates": (
                services.contact_duplicate_count(request.user) if summary.contacts else 0
            ),
        },
    )


@require_POST
@role_required(Role.BENEFICIARY)
def sharing_set(request):
    form = SharingForm(request.POST)
    form.is_valid()
    shared = form.cleaned_data.get("with_consultant", False)
    services.network_sharing_set(owner=request.user, with_consultant=shared)
    messages.success(
        request,
        _("Votre conseiller·ère voit maintenant le détail de votre réseau.")
        if shared
        else _("Votre conseiller·ère ne voit plus que les chiffres de votre réseau."),
    )
    return redirect("network:home")


# -- contacts -----------------------------------------------------------------------------------


@role_required(Role.BENEFICIARY)
def contact_list(request):
    contacts = own_contacts(request.user)
    sectors = (
        contacts.exclude(sector="").order_by("sector").values_list("sector", flat=True).distinct()
    )
    fiches = Metier.objects.filter(pk__in=contacts.values("metier_id")).order_by("libelle")
    filters = ContactFilterForm(request.GET or None, sectors=list(sectors), fiches=list(fiches))
    # A correlated count rather than a JOIN and GROUP BY: the database counts the enquêtes of
    # the page's rows only, and the paginator's count stays a plain count.
    shown = contacts.select_related("metier", "introduced_by").annotate(
        interview_count=Coalesce(
            Subquery(
                InformationalInterview.objects.filter(contact_id=OuterRef("pk"))
                .order_by()
                .values("contact_id")
                .annotate(count=Count("id"))
                .values("count"),
                output_field=IntegerField(),
            ),
            0,
        )
    )
    filtered = False
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            words = data["q"].split()
            for word in words:
                shown = shown.filter(
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(company__icontains=word)
                )
        if data["how_known"]:
            shown = shown.filter(how_known=data["how_known"])
        if data["sector"]:
            shown = shown.filter(sector=data["sector"])
        if data["fiche"]:
            shown = shown.filter(metier__code_rome=data["fiche"])
        filtered = any(data.values())
    page = Paginator(shown.order_by("last_name", "first_name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "www/network/contact_list.html",
        {
            "filters": filters,
            "filtered": filtered,
            "page_obj": page,
            "query": query.urlencode(),
            "total": contacts.count(),
        },
    )


def render_contact_form(request, form, *, contact=None, conflict=None, duplicates=(), status=200):
    data = form.data if form.is_bound else form.initial
    picker = picker_context(
        request.user,
        selected=str(data.get("metier") or ""),
        query=str(data.get("metier_q") or ""),
    )
    return render(
        request,
        "www/network/contact_form.html",
        {
            "form": form,
            "contact": contact,
            "picker": picker,
            "conflict": conflict,
            "duplicates": duplicates,
        },
        status=status,
    )


def _searching(request) -> bool:
    """The no-JS searches (a fiche, the contact who introduced this one): the form comes
    back with what was found, all typed kept."""
    return request.method == "POST" and (
        "metier_search" in request.POST or "introducer_search" in request.POST
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BENEFICIARY)
def contact_create(request):
    if _searching(request):
        form = ContactForm(initial=request.POST.dict(), owner=request.user)
        return render_contact_form(request, form)
    if request.method != "POST":
        initial = {"version": 1}
        code = request.GET.get("metier", "").strip().upper()
        if code and Metier.objects.filter(code_rome=code).exists():
            initial["metier"] = code
            initial["then_interview"] = True
        introducer = request.GET.get("presente_par", "")
        if introducer.isdigit() and own_contacts(request.user).filter(pk=introducer).exists():
            initial["introduced_by"] = int(introducer)
            initial["how_known"] = "introduced"
        return render_contact_form(request, ContactForm(initial=initial, owner=request.user))
    form = ContactForm(request.POST, owner=request.user)
    if form.is_valid():
        data = form.to_data()
        try:
            values = services.contact_clean(owner=request.user, data=data)
            duplicates = (
                []
                if request.POST.get("add_anyway")
                else services.contact_likely_duplicates(owner=request.user, values=values)
            )
            if duplicates:
                return render_contact_form(request, form, duplicates=duplicates)
            contact = services.contact_create(owner=request.user, data=data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("%(name)s est dans vos contacts.") % {"name": contact})
            if request.POST.get("then_interview"):
                target = reverse("network:interview_create", args=[contact.pk])
                if contact.metier_id:
                    target += f"?metier={contact.metier.code_rome}"
                return redirect(target)
            return redirect("network:contact", contact_id=contact.pk)
    return render_contact_form(request, form, status=400)


@require_http_methods(["GET", "POST"])
@role_required(Role.BENEFICIARY)
def contact_update(request, contact_id: int):
    contact = access_contact(request.user, contact_id)
    if _searching(request):
        form = ContactForm(initial=request.POST.dict(), owner=request.user, instance=contact)
        return render_contact_form(request, form, contact=contact)
    if request.method != "POST":
        form = ContactForm(
            initial=ContactForm.initial_from(contact), owner=request.user, instance=contact
        )
        return render_contact_form(request, form, contact=contact)
    form = ContactForm(request.POST, owner=request.user, instance=contact)
    conflict = None
    if form.is_valid():
        try:
            services.contact_update(
                actor=request.user,
                contact=contact,
                data=form.to_data(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(
                form,
                error,
                fields=list(services.CONTACT_FIELDS),
                display=lambda name, value: phone_display(value) if name == "phone" else value,
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Le contact est enregistré."))
            return redirect("network:contact", contact_id=contact.pk)
    return render_contact_form(
        request, form, contact=contact, conflict=conflict, status=409 if conflict else 400
    )


@role_required(Role.BENEFICIARY)
def contact_detail(request, contact_id: int):
    contact = access_contact(request.user, contact_id)
    today = timezone.localdate()
    # The referral chain upwards: who introduced them, and who introduced that person…
    chain = []
    seen = {contact.pk}
    current = contact.introduced_by
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.introduced_by
    interviews = [
        {"interview": interview, "action": services.interview_next_action(interview, today)}
        for interview in contact.interviews.select_related("metier", "project")
    ]
    return render(
        request,
        "www/network/contact_detail.html",
        {
            "contact": contact,
            "phone": phone_display(contact.phone),
            "chain": chain,
            "introduced": contact.introduced.order_by("last_name", "first_name", "id"),
            "interviews": interviews,
            "information": contact_information_text(contact),
            "information_subject": information_subject(),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BENEFICIARY)
def contact_delete(request, contact_id: int):
    contact = access_contact(request.user, contact_id)
    if request.method == "POST":
        name = str(contact)
        services.contact_delete(actor=request.user, contact=contact)
        messages.success(
            request, _("%(name)s ne fait plus partie de vos contacts.") % {"name": name}
        )
        return redirect("network:contacts")
    return render(
        request,
        "www/network/contact_delete.html",
        {
            "contact": contact,
            "interview_count": contact.interviews.count(),
            "introduced_count": contact.introduced.count(),
        },
    )


# -- duplicates ---------------------------------------------------------------------------------


@role_required(Role.BENEFICIARY)
def duplicates(request):
    return render(
        request,
        "www/network/duplicates.html",
        {"pairs": services.contact_duplicates(request.user)},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BENEFICIARY)
def contact_merge(request, keep_id: int, remove_id: int):
    keep = access_contact(request.user, keep_id)
    remove = access_contact(request.user, remove_id)
    if keep.pk == remove.pk:
        messages.error(request, _("Choisissez deux contacts différents."))
        return redirect("network:duplicates")
    if request.method == "POST":
        merged = services.contact_merge(actor=request.user, keep=keep, remove=remove)
        messages.success(
            request,
            _("Les deux fiches sont réunies en une seule : %(name)s.") % {"name": merged},
        )
        return redirect("network:contact", contact_id=merged.pk)
    return render(
        request,
        "www/network/contact_merge.html",
        {
            "keep": keep,
            "remove": remove,
            "keep_interviews": keep.interviews.count(),
            "remove_interviews": remove.interviews.count(),
        },
    )


# -- the consultant's view ----------------------------------------------------------------------


@role_required(Role.CONSULTANT)
def for_beneficiary(request, user_id: int):
    """One beneficiary the consultant invited: counts and progress always; names, notes and
    enquête details only when the beneficiary shares them (the read is audited)."""
    membership = access_invited_beneficiary(
        request.user, user_id, organisation=request.membership.organisation
    )
    owner = membership.user
    shared = services.network_is_shared(owner)
    context = {"beneficiary": owner, "summary": network_summary(owner), "shared": shared}
    if shared:
        # One list at a time, paginated: the contacts, or the enquêtes (`?voir=enquetes`).
        showing = "enquetes" if request.GET.get("voir") == "enquetes" else "contacts"
        if showing == "contacts":
            rows = (
                Contact.objects.visible_to(request.user)
                .filter(owner=owner)
                .select_related("metier", "introduced_by")
                .order_by("last_name", "first_name", "id")
            )
        else:
            rows = (
                InformationalInterview.objects.visible_to(request.user)
                .filter(owner=owner)
                .select_related("contact", "metier")
                .order_by("-stage_changed_at", "-id")
            )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(showing=showing, page_obj=page)
        audit_record(
            actor=request.user,
            action="network.consultant_read",
            target=owner,
            organisation=membership.organisation,
        )
    return render(request, "www/network/for_beneficiary.html", context)

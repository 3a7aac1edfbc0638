from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import render

from tisser.accounts.access import access_invited_beneficiary
from tisser.accounts.models import Invitation, Membership
from tisser.assessments.services import isolation_results_read
from tisser.bilans.caseload import consultant_bilans
from tisser.bilans.models import Bilan, Phase
from tisser.core.access import role_required
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.network.services import network_is_shared
from tisser.outcomes.story import story_of
from tisser.www.beneficiary.views import story_context
from tisser.www.bilans.lists import BilanListForm, bilan_list_page

# The beneficiaries registered with the consultant, in pages of their own: the parameter
# "page" is the caseload's.
PEOPLE_PER_PAGE = 25
PEOPLE_PAGE_PARAM = "inscrits"


@role_required(Role.CONSULTANT)
def home(request):
    """The consultant's caseload — the bilans they run, open and ended (ADR 0021): for an
    open one its phase, hours, next entretien, isolation level and last activity; for an
    ended one what is still due (follow-up interview, satisfaction, +6-month check) and its
    documents; searched by name, filtered, sorted, in pages — then the beneficiaries they
    are the consultant of record of, with their open or last bilan, and the invitations
    still waiting for an answer. Both lists turn their pages on their own ("page" and
    "inscrits")."""
    listing = bilan_list_page(
        request, consultant_bilans(request.user), BilanListForm(request.GET or None)
    )
    runs = Bilan.objects.involving(request.user).filter(
        beneficiary=OuterRef("user"), consultant=request.user
    )
    beneficiaries = (
        Membership.objects.visible_to(request.user)
        .beneficiaries_of(request.user)
        .filter(organisation=request.membership.organisation)
        .select_related("user")
        .annotate(
            open_bilan_id=Subquery(runs.exclude(status=Phase.CLOSED).values("pk")[:1]),
            last_bilan_id=Subquery(
                runs.filter(status=Phase.CLOSED).order_by("-closed_at", "-pk").values("pk")[:1]
            ),
        )
        .order_by("user__last_name", "user__first_name", "id")
    )
    pending = (
        Invitation.objects.visible_to(request.user)
        .pending()
        .filter(invited_by=request.user, role=Role.BENEFICIARY)
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "www/consultant/home.html",
        {
            "listing": listing,
            "beneficiaries": Paginator(beneficiaries, PEOPLE_PER_PAGE).get_page(
                request.GET.get(PEOPLE_PAGE_PARAM)
            ),
            "people_page_param": PEOPLE_PAGE_PARAM,
            "pending_invitations": pending,
        },
    )


def story(request, user_id: int):
    """A beneficiary's story (issue #17), for their consultant of record only (a colleague's
    beneficiary, a coordinator, anyone else: 404): the same story and reading as her home,
    about her; the names in her network only when she shares it, counts otherwise. Both
    reads are audited, as on the isolation history and the shared network."""
    membership = access_invited_beneficiary(request.user, user_id)
    person = membership.user
    shared = network_is_shared(person)
    found = story_of(person, membership.organisation, names=shared)
    isolation_results_read(actor=request.user, person=person, organisation=membership.organisation)
    if shared:
        audit_record(
            actor=request.user,
            action="network.consultant_read",
            target=person,
            organisation=membership.organisation,
        )
    name = person.get_full_name() or person.email
    return render(
        request,
        "www/consultant/story.html",
        {"person": person, "name": name, "shared": shared, **story_context(found, name=name)},
    )

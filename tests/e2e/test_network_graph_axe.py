"""axe-core on "Mon réseau en image": empty, then with a network of referral chains (opened
by the beneficiary and, once shared, by their consultant), the weekly table unfolded. Not a
journey: each page is opened directly."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.network.network_rows import add_contact, add_interview
from tisser.core.enums import Role
from tisser.network.models import STAGE_ORDER, NetworkSharing
from tisser.www.network import graph_views


def test_the_network_view_passes_axe(page, live_server, transactional_db, monkeypatch):
    consultant = member(Role.CONSULTANT)
    organisation = consultant.memberships.get().organisation
    beneficiary = member(Role.BENEFICIARY, organisation, invited_by=consultant)

    sign_in(page, live_server, beneficiary)
    page.goto("/reseau/carte/")
    axe_check(page)

    today = timezone.localdate()
    introducer = None
    for i in range(24):
        contact = add_contact(
            beneficiary,
            today - timedelta(days=60 - 2 * i),
            f"Personne{i}",
            first_name="Camille",
            introduced_by=introducer if i % 4 else None,
            sector=("Santé", "Banque", "")[i % 3],
        )
        introducer = contact
        if i % 8:
            add_interview(contact, [(STAGE_ORDER[i % 7], today - timedelta(days=30 - i))])
    page.goto("/reseau/carte/")
    expect(page.locator("svg[role=img] >> nth=0")).to_be_visible()
    page.get_by_text("Les chiffres de chaque semaine").click()
    axe_check(page)

    # Beyond the threshold the map draws groups, one of which opens; at phone width too.
    monkeypatch.setattr(graph_views, "CLUSTER_THRESHOLD", 10)
    page.goto("/reseau/carte/")
    expect(page.get_by_role("heading", name="Les groupes")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Santé").click()
    expect(page.get_by_text("Groupe ouvert : « Santé », 8 contacts.")).to_be_visible()
    axe_check(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="par étape de l'enquête").click()
    # The link loads a new page: check it once it is there, not the one it leaves.
    expect(page.locator("strong", has_text="par étape de l'enquête")).to_be_visible()
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    NetworkSharing.objects.create(owner=beneficiary, with_consultant=True)
    sign_in(page, live_server, consultant)
    page.goto(f"/reseau/beneficiaire/{beneficiary.pk}/carte/")
    axe_check(page)
    page.goto(f"/reseau/beneficiaire/{beneficiary.pk}/?voir=enquetes")
    expect(page.get_by_role("heading", name="Enquêtes-métiers")).to_be_visible()
    axe_check(page)

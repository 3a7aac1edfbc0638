"""A large network in groups: the contacts of a person counted by sector or by the stage of
their enquête, in the database (one GROUP BY), so that the network view of someone with
thousands of contacts draws a few groups instead of thousands of circles.

* **by sector** — the ROME domaine professionnel of the contact's fiche métier when it has
  one (key: the domaine's code), the free-text sector otherwise, compared without case or
  surrounding spaces (key: ``s:`` and that text); contacts without either share the key "";
* **by stage** — the most advanced stage among the contact's enquêtes (key: the stage), ""
  for a contact without an enquête.

`cluster_key` is the same expression for counting and for opening one group, so that a
group opened shows exactly the contacts it counted."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.db.models import Case, Count, IntegerField, Min, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, Lower, Trim

from tisser.network.models import STAGE_ORDER, InformationalInterview


class Grouping(StrEnum):
    SECTOR = "secteur"
    STAGE = "etape"


def _stage_rank() -> Case:
    """1 for the first stage … 7 for the last, as an SQL expression on an enquête."""
    return Case(
        *(When(stage=stage, then=Value(rank)) for rank, stage in enumerate(STAGE_ORDER, 1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _most_advanced_rank() -> Coalesce:
    best = (
        InformationalInterview.objects.filter(contact_id=OuterRef("pk"))
        .annotate(rank=_stage_rank())
        .order_by("-rank")
        .values("rank")[:1]
    )
    return Coalesce(Subquery(best, output_field=IntegerField()), Value(0))


def _sector_key() -> models.Expression:
    free_text = Lower(Trim("sector"))
    return Case(
        When(metier__domaine__isnull=False, then="metier__domaine__code"),
        When(sector__regex=r"\S", then=Concat(Value("s:"), free_text)),
        default=Value(""),
        output_field=models.CharField(),
    )


def with_cluster_key(contacts: models.QuerySet, grouping: Grouping) -> models.QuerySet:
    """`contacts` annotated with their group: `cluster_key` (a string) by sector,
    `cluster_rank` (0 without an enquête, 1–7 the stage's rank) by stage."""
    if grouping == Grouping.STAGE:
        return contacts.annotate(cluster_rank=_most_advanced_rank())
    return contacts.annotate(cluster_key=_sector_key())


def in_cluster(contacts: models.QuerySet, grouping: Grouping, key: str) -> models.QuerySet:
    """The contacts of `contacts` in the group `key`."""
    if grouping == Grouping.STAGE:
        rank = STAGE_ORDER.index(key) + 1 if key in STAGE_ORDER else 0
        return with_cluster_key(contacts, grouping).filter(cluster_rank=rank)
    return with_cluster_key(contacts, grouping).filter(cluster_key=key)


def is_cluster_key(grouping: Grouping, key: str) -> bool:
    """Whether `key` can name a group of `grouping` (what a query string may carry)."""
    if grouping == Grouping.STAGE:
        return key == "" or key in STAGE_ORDER
    return len(key) <= 202


@dataclass(frozen=True)
class Cluster:
    key: str
    label: str  # the domaine's name, the sector as first typed, the stage; "" when unknown
    count: int


def clusters(contacts: models.QuerySet, grouping: Grouping) -> list[Cluster]:
    """The groups of `contacts`: by sector the largest first (then by name), by stage in the
    stages' order (without an enquête first). One query."""
    if grouping == Grouping.STAGE:
        rows = (
            with_cluster_key(contacts, grouping)
            .order_by()
            .values("cluster_rank")
            .annotate(count=Count("id"))
        )
        found = [
            Cluster(
                key=STAGE_ORDER[row["cluster_rank"] - 1].value if row["cluster_rank"] else "",
                label=str(STAGE_ORDER[row["cluster_rank"] - 1].label)
                if row["cluster_rank"]
                else "",
                count=row["count"],
            )
            for row in rows
        ]
        order = ["", *STAGE_ORDER]
        return sorted(found, key=lambda cluster: order.index(cluster.key))
    rows = (
        with_cluster_key(contacts, grouping)
        .order_by()
        .values("cluster_key")
        .annotate(
            count=Count("id"),
            domaine=Min("metier__domaine__libelle"),
            sector_label=Min(Trim("sector")),
        )
    )
    found = [
        Cluster(
            key=row["cluster_key"],
            label=(row["domaine"] or row["sector_label"] or "") if row["cluster_key"] else "",
            count=row["count"],
        )
        for row in rows
    ]
    return sorted(found, key=lambda cluster: (-cluster.count, cluster.label.casefold()))

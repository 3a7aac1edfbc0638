"""Evidence for Qualiopi indicator 26 (disability): whether the organisme designated its
référent handicap (its identity, `accounts.Organisation`), and how many bilans recorded a
need for adaptation and had adaptations made, by kind — counts only, under the
small-numbers rule (`tisser.bilans.services.adaptation.adaptation_figures`, ADR 0037). The
needs themselves are the person's and her consultant's: nothing here names anyone or quotes
anything."""

import csv
import io

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.bilans.services.adaptation import AdaptationFigures, adaptation_figures
from tisser.core.dates import french_date
from tisser.core.small_numbers import MASKED, WITHHELD
from tisser.quality.evidence import EvidenceLine, ExportFile, Span, register


def referent_text(organisation) -> str:
    """The référent handicap as the identity names them, or that there is none yet."""
    name = organisation.disability_referent_name
    email = organisation.disability_referent_email
    if not (name or email):
        return _("L'organisme n'a pas encore désigné de référent handicap.")
    who = " — ".join(part for part in (name, email) if part)
    return _("Référent·e handicap désigné·e : %(who)s.") % {"who": who}


def count_rows(figures: AdaptationFigures) -> list[tuple[str, int | None]]:
    """(label, count or None when withheld) for the page, the lines and the file."""
    return [
        (_("Bilans avec un besoin d'aménagement noté"), figures.needs),
        (_("Bilans où un aménagement a été mis en place"), figures.adapted),
        *((str(kind.label), kind.count) for kind in figures.by_kind),
    ]


def _figures(organisation, span: Span | None) -> AdaptationFigures:
    return adaptation_figures(
        organisation_id=organisation.pk,
        first_day=span.first_day if span else None,
        last_day=span.last_day if span else None,
    )


def disability_lines(organisation, span: Span) -> list[EvidenceLine]:
    """Two queries whatever the organisation's size."""
    page = reverse("quality:disability")
    identity = reverse("coordinator:identity")
    figures = _figures(organisation, span)
    lines = [EvidenceLine(text=referent_text(organisation), url=identity)]
    if figures.needs is None:
        lines.append(
            EvidenceLine(
                text=_("Besoins d'aménagement : %(withheld)s.") % {"withheld": WITHHELD},
                url=page,
            )
        )
    else:
        lines.append(
            EvidenceLine(
                text=ngettext(
                    "%(count)s bilan sur %(total)s avec un besoin d'aménagement noté.",
                    "%(count)s bilans sur %(total)s avec un besoin d'aménagement noté.",
                    figures.needs,
                )
                % {"count": figures.needs, "total": figures.bilans},
                url=page,
            )
        )
    if figures.adapted is not None:
        lines.append(
            EvidenceLine(
                text=ngettext(
                    "%(count)s bilan où un aménagement a été mis en place.",
                    "%(count)s bilans où un aménagement a été mis en place.",
                    figures.adapted,
                )
                % {"count": figures.adapted},
                url=page,
            )
        )
    return lines


def disability_csv(organisation, span: Span | None) -> bytes:
    """The counts and the référent's designation as a CSV for French spreadsheets (";",
    UTF-8 with a BOM), withheld counts left empty with the reason below."""
    figures = _figures(organisation, span)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Indicateur 26 : handicap et aménagements")])
    writer.writerow([organisation.name])
    if span is not None:
        writer.writerow(
            [
                _("Bilans en cours entre le %(first)s et le %(last)s")
                % {"first": french_date(span.first_day), "last": french_date(span.last_day)}
            ]
        )
    writer.writerow([referent_text(organisation)])
    writer.writerow([])
    writer.writerow([_("Bilans dont les documents sont encore conservés"), figures.bilans])
    withheld = False
    for label, count in count_rows(figures):
        writer.writerow([label, "" if count is None else count])
        withheld = withheld or count is None
    if withheld:
        writer.writerow([])
        writer.writerow([f"{MASKED} : {WITHHELD}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def disability_files(organisation, span: Span):
    yield ExportFile(
        name=f"handicap-amenagements-{span.first_day:%Y-%m-%d}-{span.last_day:%Y-%m-%d}.csv",
        content=disability_csv(organisation, span),
    )


register("disability", indicators=(26,), lines=disability_lines, files=disability_files)

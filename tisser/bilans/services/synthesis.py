"""The document de synthèse (former Code du travail R6322-38 and R6322-39, which the
profession still follows: three sections, written under the organisme's responsibility and
presented to the person for their observations). The consultant drafts it from the
investigation phase and submits it to the beneficiary in the conclusion phase; the person may
send it back with a comment (a message to the consultant, never printed), validate it, and
write their observations, which the document prints as theirs. A bilan closes as completed
once its synthèse has been presented (submitted), validated or not: the person has no veto
over the organisme's document, only their say in it. Its PDF is rendered in the background
once validated, or once the bilan closed with it presented.

    draft ──submit──▶ submitted ──validate──▶ validated
      ▲                  │
      └──return/withdraw─┘

Every write checks the version the person started from: the consultant editing and the
beneficiary reading never overwrite each other's work without seeing it."""

from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tisser.accounts.models import User
from tisser.assessments import riasec, values
from tisser.assessments.services import interest_profile_latest, values_profile_latest
from tisser.bilans.models import (
    Achievement,
    Bilan,
    Phase,
    PhaseTransition,
    PortfolioItem,
    SynthesisDocument,
    SynthesisPdf,
    SynthesisStatus,
)
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.services.attestation import bilan_attended_sessions
from tisser.bilans.services.hours import bilan_hours, hours_text
from tisser.bilans.services.projects import projects_summary
from tisser.bilans.services.rendered_pdf import bilan_pdf_filename
from tisser.core.audit import audit_record
from tisser.core.dates import french_date
from tisser.core.french import de
from tisser.core.versioning import version_bump
from tisser.documents.html import pdf_fingerprint, render_html
from tisser.notifications.actions import resolve
from tisser.notifications.content import absolute_url
from tisser.notifications.models import Channel, Notification
from tisser.notifications.services import channels_for, notification_get_or_create
from tisser.notifications.tasks import notification_deliver

# The bilan phases in which the consultant may write the synthèse.
WRITING_PHASES = (Phase.INVESTIGATION, Phase.CONCLUSION)

SECTIONS = ("circumstances", "competences", "projects")
OBSERVATIONS_MAX_LENGTH = 5000


@dataclass(frozen=True)
class SynthesisSections:
    """The three sections of the former R6322-38: the circumstances of the bilan, the
    person's compétences and aptitudes in the light of their projects, the projects and the
    main steps to carry them out."""

    circumstances: str = ""
    competences: str = ""
    projects: str = ""


# What a conflicting save of the draft says (StaleVersion, ADR 0007; `current` is the
# synthèse as saved now, shown next to the person's text).
SAVE_STALE_MESSAGE = gettext_lazy(
    "La synthèse a été modifiée pendant que vous l'écriviez (par vous dans un autre "
    "onglet, ou par la personne). Relisez la version enregistrée avant d'enregistrer "
    "la vôtre."
)
# What a submit, withdraw, return or validate from a page older than the synthèse says.
STEP_STALE_MESSAGE = gettext_lazy(
    "La synthèse a changé depuis l'affichage de la page : relisez-la avant de continuer."
)


def _require_consultant(actor: User, bilan: Bilan) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.consultant_id):
        raise PermissionDenied


def _require_beneficiary(actor: User, bilan: Bilan) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.beneficiary_id):
        raise PermissionDenied


def _require_writing_phase(bilan: Bilan) -> None:
    if bilan.status == Phase.CLOSED:
        raise ValidationError(_("Ce bilan est terminé."), code="closed")
    if bilan.status not in WRITING_PHASES:
        raise ValidationError(
            _("La synthèse se rédige à partir de la phase d'investigation."), code="phase"
        )


def _require_conclusion_phase(bilan: Bilan) -> None:
    """R6313-4 3°: the conclusion phase is where the person takes ownership of the results;
    the synthèse is presented to them then, not during the investigation."""
    if bilan.status == Phase.CLOSED:
        raise ValidationError(_("Ce bilan est terminé."), code="closed")
    if bilan.status != Phase.CONCLUSION:
        raise ValidationError(
            _(
                "La synthèse se soumet à la personne pendant la phase de conclusion : passez "
                "d'abord le bilan en phase de conclusion."
            ),
            code="phase",
        )


def synthesis_is_validated(bilan: Bilan) -> bool:
    return SynthesisDocument.objects.filter(bilan=bilan, status=SynthesisStatus.VALIDATED).exists()


# --- The pre-fill ----------------------------------------------------------------------------
# One function per section; later parts of the bilan (projects, portfolio) add their own
# paragraphs to `_competences_initial` and `_projects_initial`.


def _date(value) -> str:
    return french_date(timezone.localtime(value), "j F Y")


def _circumstances_initial(bilan: Bilan) -> str:
    hours = bilan_hours(bilan)
    sessions = bilan_attended_sessions(bilan)
    lines = [
        _(
            "%(name)s a réalisé un bilan de compétences avec %(consultant)s, au sein "
            "%(de_organisation)s, à partir du %(opened)s."
        )
        % {
            "name": bilan.beneficiary.get_full_name() or bilan.beneficiary.email,
            "consultant": bilan.consultant.get_full_name() or bilan.consultant.email,
            "de_organisation": de(bilan.organisation.name),
            "opened": _date(bilan.opened_at),
        },
        _("Financement : %(funding)s.") % {"funding": bilan.get_funding_display()},
    ]
    transitions = PhaseTransition.objects.filter(bilan=bilan).order_by("at", "id")
    for transition in transitions:
        lines.append(
            _("%(phase)s à partir du %(date)s.")
            % {"phase": Phase(transition.to_phase).label, "date": _date(transition.at)}
        )
    if sessions:
        lines.append(
            ngettext(
                "%(count)s entretien réalisé, soit %(hours)s h d'entretien :",
                "%(count)s entretiens réalisés, soit %(hours)s h d'entretiens :",
                len(sessions),
            )
            % {"count": len(sessions), "hours": hours.effective_text}
        )
        lines.extend(
            "— "
            + _("%(date)s, %(hours)s h (%(mode)s)")
            % {
                "date": french_date(timezone.localtime(session.start), "l j F Y"),
                "hours": hours_text(session.hours),
                "mode": session.mode_label,
            }
            for session in sessions
        )
    else:
        lines.append(_("Aucun entretien n'est encore émargé."))
    lines.append("")
    lines.append(_("Demande et attentes exprimées au début du bilan : "))
    return "\n".join(lines)


def _labels(items) -> str:
    return ", ".join(item.label for item in items)


def _competences_initial(bilan: Bilan) -> str:
    """What the investigation tools hold: the portfolio by envie (souhaité vs subi), the
    réussites analysed, the interests code and the values that count most."""
    lines = [
        _(
            "Compétences professionnelles et personnelles mises en évidence, au regard du ou "
            "des projets :"
        )
    ]
    portfolio = list(PortfolioItem.objects.filter(bilan=bilan).order_by("-level", "label"))
    wanted = [i for i in portfolio if i.preference == PortfolioItem.Preference.WANTED]
    endured = [i for i in portfolio if i.preference == PortfolioItem.Preference.ENDURED]
    others = [i for i in portfolio if i not in wanted and i not in endured]
    if wanted:
        lines.append(_("— mobilisées avec plaisir : %(items)s ;") % {"items": _labels(wanted)})
    if others:
        lines.append(_("— également maîtrisées : %(items)s ;") % {"items": _labels(others)})
    if endured:
        lines.append(
            _("— exercées par nécessité plutôt que par goût : %(items)s.")
            % {"items": _labels(endured)}
        )
    achievements = list(Achievement.objects.filter(bilan=bilan).order_by("created_at", "id"))
    if achievements:
        lines.append(
            _("Réussites analysées : %(titles)s.")
            % {"titles": ", ".join(f"« {a.title} »" for a in achievements)}
        )
    scores = interest_profile_latest(user=bilan.beneficiary)
    if scores:
        letters = riasec.code(scores)
        lines.append(
            _("Centres d'intérêt dominants : %(code)s (%(types)s).")
            % {
                "code": letters,
                "types": ", ".join(str(riasec.type_by_letter(x).title) for x in letters),
            }
        )
    ranked = values_profile_latest(user=bilan.beneficiary)
    if ranked:
        lines.append(
            _("Valeurs prioritaires : %(values)s.")
            % {"values": ", ".join(str(values.value_by_id(v).title) for v, _s in ranked[:3])}
        )
    return "\n".join(lines)


def _projects_initial(bilan: Bilan) -> str:
    """The projects, preferred first, with their target fiches and dated steps."""
    summaries = projects_summary(bilan)
    if not summaries:
        return _("Projet retenu : \nPrincipales étapes de sa mise en œuvre : \n— ")
    lines = []
    for summary in summaries:
        heading = _("Projet retenu") if summary.preferred else _("Autre piste")
        lines.append(f"{heading} : {summary.title} ({summary.kind_label.lower()})")
        if summary.targets:
            lines.append(
                ngettext(
                    "Métier visé : %(targets)s.",
                    "Métiers visés : %(targets)s.",
                    len(summary.targets),
                )
                % {"targets": ", ".join(f"{label} ({code})" for code, label in summary.targets)}
            )
        if summary.motivation:
            lines.append(_("Motivation : %(text)s") % {"text": summary.motivation})
        if summary.steps:
            lines.append(_("Principales étapes de sa mise en œuvre :"))
            for step in summary.steps:
                due = french_date(step.due_on, "j F Y") if step.due_on else ""
                lines.append(f"— {step.title}" + (f" ({due})" if due else ""))
        lines.append("")
    return "\n".join(lines).strip()


def synthesis_draft_initial(bilan: Bilan) -> SynthesisSections:
    """A starting text for each section, built from what the bilan already holds (dates,
    funding, phases, entretiens attended and their hours; portfolio, réussites, interests and
    values; projects and their steps). The consultant rewrites it: it is
    only ever offered in the editor, never saved by itself."""
    with translation.override("fr"):
        return SynthesisSections(
            circumstances=_circumstances_initial(bilan),
            competences=_competences_initial(bilan),
            projects=_projects_initial(bilan),
        )


# --- Writes ----------------------------------------------------------------------------------


def _audit(actor: User, action: str, document: SynthesisDocument, **data) -> None:
    audit_record(
        actor=actor,
        action=f"synthesis.{action}",
        target=document,
        organisation=document.bilan.organisation,
        data={"bilan_id": document.bilan_id, "version": document.version, **data},
    )


def _lock(bilan: Bilan, expected_version: int) -> SynthesisDocument:
    document = SynthesisDocument.objects.select_for_update().filter(bilan=bilan).first()
    if document is None:
        raise ValidationError(_("La synthèse n'est pas encore rédigée."), code="missing")
    return version_bump(document, expected=expected_version, message=STEP_STALE_MESSAGE)


def _cleaned(sections: SynthesisSections) -> SynthesisSections:
    return SynthesisSections(*(getattr(sections, name).strip() for name in SECTIONS))


def synthesis_save(
    *, consultant: User, bilan: Bilan, sections: SynthesisSections, expected_version: int
) -> SynthesisDocument:
    """Save the consultant's draft (the bilan's consultant only, from the investigation phase
    until the bilan closes). `expected_version` is the version the editor was opened at, 0
    when there was no synthèse yet; if it changed since, StaleVersion and nothing is
    written. A synthèse submitted to the beneficiary or validated is not edited (the
    consultant takes a submitted one back first)."""
    _require_consultant(consultant, bilan)
    sections = _cleaned(sections)
    with transaction.atomic():
        # The bilan's row serialises the first save of two tabs: only one creates the synthèse.
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        _require_writing_phase(locked)
        document = SynthesisDocument.objects.select_for_update().filter(bilan=locked).first()
        current = timezone.now()
        if document is None:
            if expected_version != 0:
                raise ValidationError(_("Cette synthèse n'existe plus."), code="missing")
            document = SynthesisDocument.objects.create(
                bilan=locked,
                created_at=current,
                updated_at=current,
                updated_by=consultant,
                **asdict(sections),
            )
            _audit(consultant, "create", document)
            return document
        version_bump(document, expected=expected_version, message=SAVE_STALE_MESSAGE)
        if not document.is_draft:
            raise ValidationError(
                _(
                    "Cette synthèse est soumise à la personne ou validée : elle ne se modifie "
                    "plus ici."
                ),
                code="not_draft",
            )
        for name in SECTIONS:
            setattr(document, name, getattr(sections, name))
        document.updated_at = current
        document.updated_by = consultant
        document.save(update_fields=[*SECTIONS, "updated_at", "updated_by", "version"])
        _audit(consultant, "save", document)
    return document


def synthesis_submit(*, consultant: User, bilan: Bilan, expected_version: int) -> SynthesisDocument:
    """Present the draft to the beneficiary for their observations (the consultant; every
    section written; only in the conclusion phase)."""
    _require_consultant(consultant, bilan)
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        _require_conclusion_phase(locked)
        document = _lock(locked, expected_version)
        if not document.is_draft:
            raise ValidationError(_("Cette synthèse est déjà soumise."), code="not_draft")
        empty = [name for name in SECTIONS if not getattr(document, name).strip()]
        if empty:
            raise ValidationError(
                {
                    name: [_("Rédigez cette partie avant de soumettre la synthèse.")]
                    for name in empty
                },
                code="empty",
            )
        current = timezone.now()
        document.status = SynthesisStatus.SUBMITTED
        document.submitted_at = current
        document.submitted_by = consultant
        document.updated_at = current
        document.updated_by = consultant
        document.save(
            update_fields=[
                "status",
                "submitted_at",
                "submitted_by",
                "updated_at",
                "updated_by",
                "version",
            ]
        )
        _audit(consultant, "submit", document)
        # The beneficiary's comment is taken into account (ADR 0024).
        resolve(document, BilanNotice.SYNTHESIS_RETURNED)
        _notify(document, locked.beneficiary, "submitted", sender=consultant)
    return document


def synthesis_withdraw(
    *, consultant: User, bilan: Bilan, expected_version: int
) -> SynthesisDocument:
    """Take a submitted synthèse back to draft (the consultant wants to change it before the
    beneficiary validates). A validated synthèse stays validated."""
    _require_consultant(consultant, bilan)
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        _require_writing_phase(locked)
        document = _lock(locked, expected_version)
        if not document.is_submitted:
            raise ValidationError(
                _("Seule une synthèse soumise et pas encore validée peut être reprise."),
                code="not_submitted",
            )
        document.status = SynthesisStatus.DRAFT
        document.updated_at = timezone.now()
        document.updated_by = consultant
        document.save(update_fields=["status", "updated_at", "updated_by", "version"])
        _audit(consultant, "withdraw", document)
        # Nothing left for the beneficiary to read (ADR 0024).
        resolve(document, BilanNotice.SYNTHESIS_SUBMITTED)
    return document


def synthesis_return(
    *, beneficiary: User, bilan: Bilan, comment: str, expected_version: int
) -> SynthesisDocument:
    """The beneficiary sends the submitted synthèse back to the consultant with a comment
    (required: it says what to change); it becomes a draft again."""
    _require_beneficiary(beneficiary, bilan)
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": [_("Dites à votre conseiller·ère ce que vous souhaitez changer.")]},
            code="required",
        )
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        document = _lock(locked, expected_version)
        if not document.is_submitted:
            raise ValidationError(
                _("Cette synthèse n'attend pas votre relecture."), code="not_submitted"
            )
        current = timezone.now()
        document.status = SynthesisStatus.DRAFT
        document.beneficiary_comment = comment
        document.returned_at = current
        document.updated_at = current
        document.updated_by = beneficiary
        document.save(
            update_fields=[
                "status",
                "beneficiary_comment",
                "returned_at",
                "updated_at",
                "updated_by",
                "version",
            ]
        )
        _audit(beneficiary, "return", document)
        resolve(document, BilanNotice.SYNTHESIS_SUBMITTED)
        _notify(document, locked.consultant, "returned", sender=beneficiary)
    return document


def synthesis_validate(
    *, beneficiary: User, bilan: Bilan, expected_version: int
) -> SynthesisDocument:
    """The beneficiary validates the synthèse they read (`expected_version`: a text changed
    since is refused, nobody validates what they did not read). Its PDF is then rendered in
    the background."""
    _require_beneficiary(beneficiary, bilan)
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        document = _lock(locked, expected_version)
        if not document.is_submitted:
            raise ValidationError(
                _("Cette synthèse n'attend pas votre validation."), code="not_submitted"
            )
        current = timezone.now()
        document.status = SynthesisStatus.VALIDATED
        document.validated_at = current
        document.validated_by = beneficiary
        document.updated_at = current
        document.updated_by = beneficiary
        document.save(
            update_fields=[
                "status",
                "validated_at",
                "validated_by",
                "updated_at",
                "updated_by",
                "version",
            ]
        )
        _audit(beneficiary, "validate", document)
        resolve(document, BilanNotice.SYNTHESIS_SUBMITTED)
        _notify(document, locked.consultant, "validated", sender=beneficiary)
        synthesis_pdf_render_soon(document.pk)
    return document


def synthesis_observations_save(
    *, beneficiary: User, bilan: Bilan, observations: str, expected_version: int
) -> SynthesisDocument:
    """The beneficiary writes (or rewrites, or clears) their observations on the synthèse
    presented to them (former R6322-39). They are theirs: printed in the document under
    their name, distinct from a request for changes (`synthesis_return`), never written by
    anyone else. Possible once the synthèse is submitted or validated, also after the
    bilan's end while its documents exist; `expected_version` is the version they read."""
    _require_beneficiary(beneficiary, bilan)
    observations = observations.strip()
    if len(observations) > OBSERVATIONS_MAX_LENGTH:
        raise ValidationError({"observations": [_("5 000 caractères au plus.")]}, code="max_length")
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        document = SynthesisDocument.objects.select_for_update().filter(bilan=locked).first()
        if document is None or document.is_draft:
            raise ValidationError(
                _("Votre synthèse ne vous a pas encore été présentée."), code="not_presented"
            )
        if observations == document.beneficiary_observations:
            return document
        version_bump(document, expected=expected_version, message=STEP_STALE_MESSAGE)
        current = timezone.now()
        document.beneficiary_observations = observations
        document.observations_at = current if observations else None
        document.updated_at = current
        document.updated_by = beneficiary
        document.save(
            update_fields=[
                "beneficiary_observations",
                "observations_at",
                "updated_at",
                "updated_by",
                "version",
            ]
        )
        _audit(beneficiary, "observations", document, written=bool(observations))
        if _pdf_due(document, locked):
            synthesis_pdf_render_soon(document.pk)
    return document


def _pdf_due(document: SynthesisDocument, bilan: Bilan) -> bool:
    """A synthèse has its PDF once validated, or once its bilan closed with it presented."""
    return document.is_validated or (document.is_submitted and bilan.status == Phase.CLOSED)


def synthesis_pdf_render_soon(document_id: int) -> None:
    """Queue the rendering of the PDF right after the commit."""
    transaction.on_commit(lambda: _render_soon(document_id))


def _render_soon(document_id: int) -> None:
    # Imported here: the task module imports this one (the task calls `synthesis_pdf_render`).
    from tisser.bilans.tasks import synthesis_pdf_render_task

    synthesis_pdf_render_task.enqueue(document_id=document_id)


# --- The PDF ---------------------------------------------------------------------------------


def synthesis_pdf_context(document: SynthesisDocument) -> dict:
    bilan = document.bilan
    return {
        "document_title": _("Document de synthèse du bilan de compétences"),
        "organisation": bilan.organisation,
        "bilan": bilan,
        "document": document,
        "hours": bilan_hours(bilan),
        "sessions": bilan_attended_sessions(bilan),
    }


def synthesis_pdf_html(document: SynthesisDocument) -> str:
    with translation.override("fr"):
        return render_html(
            template_name="documents/synthesis.html", context=synthesis_pdf_context(document)
        )


def synthesis_pdf_render(*, document_id: int) -> SynthesisPdf | None:
    """Render and store the PDF of a validated synthèse, or of one presented when its bilan
    closed. Safe to run twice: a PDF already rendered from the same HTML (same version, same
    fingerprint) is kept as it is; a synthèse in draft (or gone) gets none."""
    from tisser.documents.pdf import html_to_pdf

    document = (
        SynthesisDocument.objects.select_related(
            "bilan__organisation", "bilan__beneficiary", "bilan__consultant"
        )
        .filter(pk=document_id)
        .first()
    )
    if document is None or not _pdf_due(document, document.bilan):
        return None
    html = synthesis_pdf_html(document)
    fingerprint = pdf_fingerprint(html)
    existing = SynthesisPdf.objects.filter(document=document).first()
    if (
        existing is not None
        and existing.version == document.version
        and existing.fingerprint == fingerprint
    ):
        return existing
    # Rendering takes a while: done outside any transaction, stored in a short one.
    content = html_to_pdf(html)
    with transaction.atomic():
        pdf, _created = SynthesisPdf.objects.update_or_create(
            document=document,
            defaults={
                "version": document.version,
                "fingerprint": fingerprint,
                "content": content,
                "rendered_at": timezone.now(),
            },
        )
        audit_record(
            actor=None,
            action="synthesis.pdf_render",
            target=document,
            organisation=document.bilan.organisation,
            data={"version": document.version, "bytes": len(content)},
        )
    return pdf


def synthesis_pdf_current(
    document: SynthesisDocument, *, content: bool = True
) -> SynthesisPdf | None:
    """The kept PDF of `document` if it prints what the synthèse would print now (same
    version, same fingerprint: the organisme's identity, the hours and the entretiens
    included); else None, and a new rendering is queued when an older one is kept. Without
    `content`, the file itself is not read."""
    kept = SynthesisPdf.objects.filter(document=document, version=document.version)
    pdf = (kept if content else kept.defer("content")).first()
    if pdf is None:
        return None
    if pdf.fingerprint != pdf_fingerprint(synthesis_pdf_html(document)):
        synthesis_pdf_render_soon(document.pk)
        return None
    return pdf


def synthesis_pdf_ready(document: SynthesisDocument) -> bool:
    return synthesis_pdf_current(document, content=False) is not None


def synthesis_pdf_filename(document: SynthesisDocument) -> str:
    """Dated by the synthèse itself: its validation, or its presentation when the bilan
    closed on a synthèse the person had not validated."""
    return bilan_pdf_filename(
        kind="synthese",
        bilan=document.bilan,
        on=document.validated_at or document.submitted_at,
    )


def synthesis_pdf_download(*, actor: User, document: SynthesisDocument) -> bytes | None:
    """The PDF of the synthèse (validated, or presented when the bilan closed) for its
    beneficiary or the consultant who wrote it (PermissionDenied for anyone else); None while
    it is being prepared. Each download is in the audit log."""
    bilan = document.bilan
    if not bilan.involves(actor):
        raise PermissionDenied
    if not _pdf_due(document, bilan):
        return None
    pdf = synthesis_pdf_current(document)
    if pdf is None:
        return None
    audit_record(
        actor=actor,
        action="synthesis.pdf_download",
        target=document,
        organisation=bilan.organisation,
        data={"version": pdf.version},
    )
    return bytes(pdf.content)


# --- Notifications ---------------------------------------------------------------------------

# Each notice names the other person (`name`, `de_name`: "de"/"d'" elided, ADR 0024).
NOTICES = {
    "submitted": (
        "SYNTHESIS_SUBMITTED",
        "bilans:synthesis_mine",
        lambda names: _("Votre document de synthèse est prêt à relire"),
        lambda names: (
            _(
                "%(name)s vous présente votre document de synthèse. "
                "Relisez-le : vous pouvez y ajouter vos observations, le valider, ou le renvoyer "
                "avec un commentaire."
            )
            % names
        ),
    ),
    "returned": (
        "SYNTHESIS_RETURNED",
        "bilans:synthesis_edit",
        lambda names: _("Synthèse %(de_name)s renvoyée avec un commentaire") % names,
        lambda names: (
            _(
                "%(name)s vous renvoie son document de synthèse avec un commentaire à prendre en "
                "compte."
            )
            % names
        ),
    ),
    "validated": (
        "SYNTHESIS_VALIDATED",
        "bilans:synthesis_edit",
        lambda names: _("Synthèse %(de_name)s validée") % names,
        lambda names: _("%(name)s a validé son document de synthèse.") % names,
    ),
}


def _notify(document: SynthesisDocument, recipient: User, event: str, *, sender: User) -> None:
    """Tell the other person (`recipient`) what `sender` did, in the app and by e-mail as they
    chose; delivered right after the commit (`notification_deliver`)."""
    if not recipient.is_active:
        return
    kind_name, url_name, subject, text = NOTICES[event]
    path = reverse(url_name, args=[document.bilan_id])
    name = sender.get_full_name() or sender.email
    names = {"name": name, "de_name": de(name)}
    notice_ids = []
    for channel in channels_for(recipient):
        with translation.override(recipient.preferred_language or "fr"):
            body = render_to_string(
                "emails/notifications/synthesis.txt",
                {
                    "recipient": recipient,
                    "email": channel == Channel.EMAIL,
                    "text": text(names),
                    "link": absolute_url(path),
                    "preferences_link": absolute_url(reverse("notifications:preferences")),
                },
            ).strip()
            notice, _created = notification_get_or_create(
                recipient=recipient,
                channel=channel,
                kind=getattr(BilanNotice, kind_name),
                idempotency_key=(
                    f"synthesis:{document.pk}:v{document.version}:{event}:{recipient.pk}:{channel}"
                ),
                subject=subject(names),
                body=body + "\n",
                url=path,
                about=document,
            )
        if notice.status == Notification.Status.PENDING:
            notice_ids.append(notice.pk)
    if notice_ids:
        transaction.on_commit(lambda: _deliver_soon(notice_ids))


def _deliver_soon(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        notification_deliver.enqueue(notification_id=notification_id)

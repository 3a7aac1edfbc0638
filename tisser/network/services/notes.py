"""What the person writes during and after an enquête-métier: notes per theme, then the
synthesis (what I retain, what it tells me about myself, GO / NO-GO / to explore), linked to
one of their bilan's projects and/or a fiche métier. Only the owner writes; concurrent edits
(two tabs, two devices) never overwrite each other silently: each note and the synthesis
carry a version checked here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.bilans.models import Project
from tisser.core.audit import audit_record
from tisser.core.errors import StaleVersion
from tisser.core.versioning import version_bump
from tisser.network.models import GuideTheme, InformationalInterview, InterviewNote, Verdict
from tisser.network.services.preparation import interview_owner_check
from tisser.referentiel.models import Metier

NOTE_MAX = 20000
SYNTHESIS_FIELDS = ("takeaways", "about_me", "verdict", "project", "metier")


# Notes of some themes saved elsewhere meanwhile (StaleVersion, ADR 0007).
NOTES_STALE_MESSAGE = gettext_lazy(
    "Vos notes ont été modifiées ailleurs (un autre onglet, un autre appareil) pendant "
    "que vous écriviez. Rien n'a été enregistré : comparez avec la version enregistrée, "
    "puis enregistrez à nouveau."
)
# The enquête saved elsewhere while its synthesis was written.
SYNTHESIS_STALE_MESSAGE = gettext_lazy(
    "Cette enquête a été modifiée ailleurs pendant que vous écriviez votre synthèse. "
    "Rien n'a été enregistré : relisez la version enregistrée, puis enregistrez à nouveau."
)


def interview_notes_save(
    *,
    actor: User,
    interview: InformationalInterview,
    texts: dict[str, str],
    versions: dict[str, int],
) -> int:
    """Save the notes of each theme in `texts` whose text changed. `versions` holds, per
    theme, the version the person started from (0: no note yet). A changed theme whose note
    was saved since that version makes the whole save fail with StaleVersion (nothing
    written; `current` maps each such theme to its saved (text, version)); a theme left as
    saved is never a conflict. Returns how many notes changed."""
    interview_owner_check(user=actor, interview=interview)
    unknown = set(texts) - set(GuideTheme.values)
    if unknown:
        raise ValidationError(
            _("Thème inconnu : %(themes)s.") % {"themes": ", ".join(sorted(unknown))}
        )
    too_long = [theme for theme, text in texts.items() if len(text) > NOTE_MAX]
    if too_long:
        raise ValidationError(
            {
                theme: [
                    _("Ces notes sont trop longues (%(max)s caractères au plus).")
                    % {"max": NOTE_MAX}
                ]
                for theme in too_long
            }
        )
    with transaction.atomic():
        # One save at a time per enquête: two first notes on a theme cannot both be created.
        InformationalInterview.objects.select_for_update().filter(pk=interview.pk).first()
        saved = {note.theme: note for note in InterviewNote.objects.filter(interview=interview)}
        conflicts: dict[str, tuple[str, int]] = {}
        changes: list[tuple[str, str, InterviewNote | None]] = []
        for theme, raw in texts.items():
            text = raw.strip()
            note = saved.get(theme)
            current_text, current_version = (note.text, note.version) if note else ("", 0)
            if text == current_text:
                continue
            if versions.get(theme) != current_version:
                conflicts[theme] = (current_text, current_version)
            else:
                changes.append((theme, text, note))
        if conflicts:
            # Several rows: `current` maps each conflicting theme to its saved (text, version).
            raise StaleVersion(NOTES_STALE_MESSAGE, current=conflicts, version=0)
        for theme, text, note in changes:
            if note is None:
                InterviewNote.objects.create(interview=interview, theme=theme, text=text)
            else:
                version_bump(note, expected=note.version, text=text)
        if changes:
            audit_record(
                actor=actor,
                action="interview.notes_save",
                target=interview,
                organisation=interview.contact.organisation,
                data={"themes": sorted(theme for theme, _text, _note in changes)},
            )
    return len(changes)


def synthesis_projects(user: User):
    """The projects of `user`'s own bilans, which an enquête's synthesis may name."""
    return (
        Project.objects.filter(bilan__beneficiary=user)
        .select_related("bilan")
        .order_by("-bilan__opened_at", "-preferred", "created_at", "id")
    )


def interview_synthesis_save(
    *,
    actor: User,
    interview: InformationalInterview,
    takeaways: str,
    about_me: str,
    verdict: str,
    project: Project | None,
    metier: Metier | None,
    expected_version: int,
) -> InformationalInterview:
    """Save the synthesis of an enquête if nobody saved the enquête since
    `expected_version`; StaleVersion with the enquête as saved otherwise. The project must be
    one of the person's own bilan projects."""
    interview_owner_check(user=actor, interview=interview)
    errors: dict[str, list[str]] = {}
    if verdict and verdict not in Verdict.values:
        errors["verdict"] = [_("Choisissez GO, NO-GO ou « À explorer encore ».")]
    if project is not None and not synthesis_projects(actor).filter(pk=project.pk).exists():
        errors["project"] = [_("Choisissez un des projets de votre bilan.")]
    for name, text in (("takeaways", takeaways), ("about_me", about_me)):
        if len(text) > NOTE_MAX:
            errors[name] = [
                _("Ce texte est trop long (%(max)s caractères au plus).") % {"max": NOTE_MAX}
            ]
    if errors:
        raise ValidationError(errors)
    values = {
        "takeaways": takeaways.strip(),
        "about_me": about_me.strip(),
        "verdict": verdict,
        "project": project,
        "metier": metier,
    }
    with transaction.atomic():
        version_bump(
            interview, expected=expected_version, message=SYNTHESIS_STALE_MESSAGE, **values
        )
        audit_record(
            actor=actor,
            action="interview.synthesis_save",
            target=interview,
            organisation=interview.contact.organisation,
            data={"version": expected_version + 1, "verdict": verdict},
        )
    interview.refresh_from_db()
    return interview

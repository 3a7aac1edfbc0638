"""Writes on the organisation's interview guides: the templates of questions, by theme, that
beneficiaries copy into an enquête when they prepare it. The coordinators and consultants of
the organisation keep them (`GUIDE_EDITOR_ROLES`); every write is audited."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import Membership, Organisation, User
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump
from tisser.network import default_guide
from tisser.network.models import (
    GUIDE_EDITOR_ROLES,
    GuideQuestion,
    GuideTheme,
    InterviewGuide,
)


def _char_max_length(model: type[models.Model], name: str) -> int:
    """The length limit of a CharField, read from the model so the check and the column agree."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise ImproperlyConfigured(f"{model.__name__}.{name} is not a CharField with a max_length")
    return field.max_length


TITLE_MAX = _char_max_length(InterviewGuide, "title")
QUESTION_MAX = _char_max_length(GuideQuestion, "text")


# The conflict message of a guide or a question (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "Quelqu'un a modifié ce guide pendant que vous le modifiiez. Relisez sa version "
    "avant d'enregistrer la vôtre."
)


def guide_editor_check(*, user: User, organisation: Organisation) -> None:
    """PermissionDenied unless `user` coordinates or consults for `organisation`."""
    if not Membership.objects.filter(
        user=user, organisation=organisation, role__in=GUIDE_EDITOR_ROLES, is_active=True
    ).exists():
        raise PermissionDenied


def interview_guide_install_default(*, organisation: Organisation) -> InterviewGuide | None:
    """Give an organisation that has no interview guide the default one
    (`tisser.network.default_guide`), in the platform's language. Idempotent: an
    organisation that already has a guide, whatever it is, gets nothing (returns None)."""
    with transaction.atomic():
        # Lock the organisation so that two first visits install one guide, not two.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if InterviewGuide.objects.filter(organisation=organisation).exists():
            return None
        with translation.override(settings.LANGUAGE_CODE):
            guide = InterviewGuide.objects.create(
                organisation=organisation,
                title=str(default_guide.TITLE),
                description=str(default_guide.DESCRIPTION),
            )
            GuideQuestion.objects.bulk_create(
                GuideQuestion(guide=guide, theme=theme, text=str(text), position=position)
                for theme, texts in default_guide.QUESTIONS.items()
                for position, text in enumerate(texts)
            )
        audit_record(
            actor=None,
            action="interview_guide.install_default",
            target=guide,
            organisation=organisation,
        )
    return guide


def _guide_values(*, title: str, description: str) -> dict:
    errors = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("Donnez un titre au guide.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [
            _("Le titre est trop long (%(max)s caractères au plus).") % {"max": TITLE_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    return {"title": title, "description": description.strip()}


def interview_guide_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    description: str = "",
    is_active: bool = True,
) -> InterviewGuide:
    """A new, empty guide of `organisation` (its coordinators and consultants)."""
    guide_editor_check(user=actor, organisation=organisation)
    values = _guide_values(title=title, description=description)
    with transaction.atomic():
        guide = InterviewGuide.objects.create(
            organisation=organisation, is_active=is_active, **values
        )
        audit_record(
            actor=actor, action="interview_guide.create", target=guide, organisation=organisation
        )
    return guide


def interview_guide_update(
    *,
    actor: User,
    guide: InterviewGuide,
    title: str,
    description: str,
    is_active: bool,
    expected_version: int,
) -> InterviewGuide:
    """Change a guide's title, description and whether beneficiaries are offered it, if
    nobody saved it since `expected_version`; StaleVersion with the saved guide otherwise."""
    guide_editor_check(user=actor, organisation=guide.organisation)
    values = _guide_values(title=title, description=description)
    with transaction.atomic():
        version_bump(
            guide, expected=expected_version, message=STALE_MESSAGE, is_active=is_active, **values
        )
        audit_record(
            actor=actor,
            action="interview_guide.update",
            target=guide,
            organisation=guide.organisation,
            data={"version": expected_version + 1, "is_active": is_active},
        )
    guide.refresh_from_db()
    return guide


def question_values_clean(*, theme: str, text: str) -> dict:
    errors = {}
    text = " ".join(text.split())
    if theme not in GuideTheme.values:
        errors["theme"] = [_("Choisissez un thème de la liste.")]
    if not text:
        errors["text"] = [_("Écrivez la question.")]
    elif len(text) > QUESTION_MAX:
        errors["text"] = [
            _("La question est trop longue (%(max)s caractères au plus).") % {"max": QUESTION_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    return {"theme": theme, "text": text}


def guide_question_add(
    *, actor: User, guide: InterviewGuide, theme: str, text: str
) -> GuideQuestion:
    """Add a question at the end of its theme."""
    guide_editor_check(user=actor, organisation=guide.organisation)
    values = question_values_clean(theme=theme, text=text)
    with transaction.atomic():
        last = guide.questions.filter(theme=values["theme"]).aggregate(last=Max("position"))["last"]
        question = GuideQuestion.objects.create(
            guide=guide, position=0 if last is None else last + 1, **values
        )
        audit_record(
            actor=actor,
            action="guide_question.add",
            target=question,
            organisation=guide.organisation,
            data={"guide": guide.pk},
        )
    return question


def guide_question_update(
    *, actor: User, question: GuideQuestion, theme: str, text: str, expected_version: int
) -> GuideQuestion:
    """Reword a question or move it to another theme (at its end), if nobody saved it since
    `expected_version`; StaleVersion otherwise."""
    guide = question.guide
    guide_editor_check(user=actor, organisation=guide.organisation)
    values = question_values_clean(theme=theme, text=text)
    with transaction.atomic():
        if values["theme"] != question.theme:
            last = guide.questions.filter(theme=values["theme"]).aggregate(last=Max("position"))
            values["position"] = 0 if last["last"] is None else last["last"] + 1
        version_bump(question, expected=expected_version, message=STALE_MESSAGE, **values)
        audit_record(
            actor=actor,
            action="guide_question.update",
            target=question,
            organisation=guide.organisation,
            data={"guide": guide.pk},
        )
    question.refresh_from_db()
    return question


def positions_swap(rows: list, index: int, direction: str) -> tuple | None:
    """The two rows to swap to move `rows[index]` one place up or down, renumbered 0..n-1
    first so that equal positions cannot make the move a no-op; None at either end."""
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(rows):
        return None
    for position, row in enumerate(rows):
        row.position = position
    rows[index].position, rows[other].position = other, index
    return rows[index], rows[other]


def guide_question_move(*, actor: User, question: GuideQuestion, direction: str) -> bool:
    """Move a question one place up or down within its theme. Returns whether it moved (not
    past either end)."""
    guide = question.guide
    guide_editor_check(user=actor, organisation=guide.organisation)
    with transaction.atomic():
        rows = list(
            GuideQuestion.objects.select_for_update()
            .filter(guide=guide, theme=question.theme)
            .order_by("position", "id")
        )
        index = next(i for i, row in enumerate(rows) if row.pk == question.pk)
        if positions_swap(rows, index, direction) is None:
            return False
        GuideQuestion.objects.bulk_update(rows, ["position"])
        audit_record(
            actor=actor,
            action="guide_question.move",
            target=question,
            organisation=guide.organisation,
            data={"guide": guide.pk, "direction": direction},
        )
    return True


def guide_question_delete(*, actor: User, question: GuideQuestion) -> None:
    """Remove a question from a guide. Enquêtes already prepared keep their copy."""
    guide = question.guide
    guide_editor_check(user=actor, organisation=guide.organisation)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="guide_question.delete",
            target=question,
            organisation=guide.organisation,
            data={"guide": guide.pk, "text": question.text},
        )
        question.delete()

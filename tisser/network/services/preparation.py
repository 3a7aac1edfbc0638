"""Preparing an enquête-métier: the questions the person means to ask, by theme, copied from
one of the organisation's guides and/or written by themself. Only the owner of the enquête
prepares it; every write is audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.network.models import (
    GuideQuestion,
    InformationalInterview,
    InterviewGuide,
    InterviewQuestion,
)
from tisser.network.services.guides import positions_swap, question_values_clean


def interview_owner_check(*, user: User, interview: InformationalInterview) -> None:
    """PermissionDenied unless `user` is the person leading the enquête."""
    if user.pk != interview.owner_id:
        raise PermissionDenied


def interview_guide_apply(
    *, actor: User, interview: InformationalInterview, guide: InterviewGuide
) -> int:
    """Copy the questions of `guide` (one of the offered guides of the owner's organisation)
    into the enquête, after the questions already there; a question already prepared (same
    theme, same wording) is not copied twice. Returns how many were added."""
    interview_owner_check(user=actor, interview=interview)
    offered = InterviewGuide.objects.offered().filter(
        pk=guide.pk, organisation_id=interview.contact.organisation_id
    )
    if not offered.exists():
        raise PermissionDenied
    with transaction.atomic():
        existing = list(
            InterviewQuestion.objects.select_for_update()
            .filter(interview=interview)
            .values_list("theme", "text", "position")
        )
        seen = {(theme, text) for theme, text, _position in existing}
        next_position: dict[str, int] = {}
        for theme, _text, position in existing:
            next_position[theme] = max(next_position.get(theme, 0), position + 1)
        new = []
        for question in GuideQuestion.objects.filter(guide=guide).order_by(
            "theme", "position", "id"
        ):
            if (question.theme, question.text) in seen:
                continue
            seen.add((question.theme, question.text))
            position = next_position.get(question.theme, 0)
            next_position[question.theme] = position + 1
            new.append(
                InterviewQuestion(
                    interview=interview, theme=question.theme, text=question.text, position=position
                )
            )
        InterviewQuestion.objects.bulk_create(new)
        audit_record(
            actor=actor,
            action="interview.guide_apply",
            target=interview,
            organisation=interview.contact.organisation,
            data={"guide": guide.pk, "added": len(new)},
        )
    return len(new)


def interview_question_add(
    *, actor: User, interview: InformationalInterview, theme: str, text: str
) -> InterviewQuestion:
    """Add one of the person's own questions at the end of its theme."""
    interview_owner_check(user=actor, interview=interview)
    values = question_values_clean(theme=theme, text=text)
    with transaction.atomic():
        last = interview.questions.filter(theme=values["theme"]).aggregate(last=Max("position"))
        question = InterviewQuestion.objects.create(
            interview=interview,
            position=0 if last["last"] is None else last["last"] + 1,
            **values,
        )
        audit_record(
            actor=actor,
            action="interview.question_add",
            target=interview,
            organisation=interview.contact.organisation,
        )
    return question


def interview_question_move(*, actor: User, question: InterviewQuestion, direction: str) -> bool:
    """Move a prepared question one place up or down within its theme; False at either end."""
    interview = question.interview
    interview_owner_check(user=actor, interview=interview)
    with transaction.atomic():
        rows = list(
            InterviewQuestion.objects.select_for_update()
            .filter(interview=interview, theme=question.theme)
            .order_by("position", "id")
        )
        index = next(i for i, row in enumerate(rows) if row.pk == question.pk)
        if positions_swap(rows, index, direction) is None:
            return False
        InterviewQuestion.objects.bulk_update(rows, ["position"])
        audit_record(
            actor=actor,
            action="interview.question_move",
            target=interview,
            organisation=interview.contact.organisation,
            data={"question": question.pk, "direction": direction},
        )
    return True


def interview_question_delete(*, actor: User, question: InterviewQuestion) -> None:
    """Remove a prepared question (the notes taken on its theme stay)."""
    interview = question.interview
    interview_owner_check(user=actor, interview=interview)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="interview.question_delete",
            target=interview,
            organisation=interview.contact.organisation,
            data={"question": question.pk},
        )
        question.delete()

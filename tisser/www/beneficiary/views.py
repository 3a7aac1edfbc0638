"""« Mon parcours », the beneficiary's home: her story in one place (issue #17) — where she
is, the one thing to do next, her isolation checks beside her network on one time axis, and
a plain-French reading of them — with her consultant, the help page and the métier search.
Her consultant reads the same story about her (`tisser.www.consultant.views.story`)."""

from django.shortcuts import render
from django.utils import timezone

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.outcomes.story import MEETING_FIELDS, Story, story_of
from tisser.outcomes.story_reading import story_reading
from tisser.www.beneficiary.story_action import action_link
from tisser.www.beneficiary.story_chart import story_charts


def check_rows(story: Story) -> list[dict]:
    """The checks for the data table, each followed by the stretch without a check that
    starts on its day, if any (said in words)."""
    gaps = dict(story.gaps)
    rows: list[dict] = []
    for check in story.checks:
        rows.append({"check": check})
        day = timezone.localdate(check.at)
        if day in gaps:
            rows.append({"gap": (day, gaps.pop(day))})
    return rows


def story_context(story: Story, *, name: str | None = None) -> dict:
    """What `www/beneficiary/_story.html` shows of `story`: addressed to the person
    (`name` None) or, for her consultant, about her."""
    return {
        "story": story,
        "reading": story_reading(story, name=name),
        "charts": story_charts(story),
        "action": action_link(story.action),
        "check_rows": check_rows(story),
        "shows_meetings": story.has_any(MEETING_FIELDS),
        # The short scale's column only when a check has it (ADR 0031: asked once permitted).
        "shows_scale": any(check.loneliness_scale is not None for check in story.checks),
        "about": name,
    }


@role_required(Role.BENEFICIARY)
def home(request):
    """Her story (she sees only herself: the person signed in), in the organisation of her
    current membership."""
    membership = request.membership
    story = story_of(request.user, membership.organisation)
    return render(
        request,
        "www/beneficiary/home.html",
        {"consultant": membership.consultant, **story_context(story)},
    )

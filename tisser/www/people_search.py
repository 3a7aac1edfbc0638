"""Finding people by name in a form's list of choices (ADR 0030): a list that could hold a
whole organisation offers a few people by name, narrowed by a search, and a post is still
checked against everyone the form allows. The conflicts form and the Rencontres participant
picker search the same way."""

from django.db.models import Q, QuerySet

SEARCH_MAX_LENGTH = 100


def search_text(raw: object) -> str:
    """What was typed in a search field, spaces collapsed, at most SEARCH_MAX_LENGTH."""
    return " ".join(str(raw or "").split())[:SEARCH_MAX_LENGTH]


def people_matching(queryset: QuerySet, search: str, *, user: str = "") -> QuerySet:
    """`queryset` narrowed to the people whose first name, last name or e-mail contains each
    word of `search` (all of them; case ignored). `user` is the path to the user from the
    queryset's model, e.g. "user" for a profile; empty for users themselves."""
    prefix = f"{user}__" if user else ""
    for word in search.split():
        queryset = queryset.filter(
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}email__icontains": word})
        )
    return queryset

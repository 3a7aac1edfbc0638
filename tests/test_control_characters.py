"""NUL and other control characters in a URL answer 400, on every URL pattern, never a 500
(ADR 0011). PostgreSQL refuses text holding a NUL byte; the test database refuses it the same
way here, so that a NUL reaching a query fails on SQLite as it would in production."""

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RoutePattern

from tests.factories import member
from tisser.core.enums import Role

CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<[^>]+>[^)]*\)")


def routes(patterns=None, prefix=""):
    """Every URL pattern of the site, as the text of its route from the root."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern.pattern, LocalePrefixPattern):
            part = ""
        elif isinstance(pattern.pattern, RoutePattern):
            part = str(pattern.pattern)
        else:  # a regular expression (allauth's): its groups become plain text
            part = REGEX_GROUP.sub("a", str(pattern.pattern)).strip("^$")
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + part)
        else:
            yield prefix + part


def urls_with(route: str, character: str) -> list[str]:
    """The route with `character` inside each of its parameters, or after its last segment
    when it has none."""
    encoded = quote(character)
    sample = {"int": "1", "path": "a", "str": "a", "slug": "a", "uuid": "a"}
    parameters = list(CONVERTER.finditer(route))
    if not parameters:
        return [("/" + route).rstrip("/") + f"/a{encoded}b/"]
    urls = []
    for target in parameters:
        url = route
        for match in reversed(parameters):
            converter = match["converter"] or "str"
            value = f"a{encoded}b" if match is target else sample.get(converter, "a")
            url = url[: match.start()] + value + url[match.end() :]
        urls.append("/" + url)
    return urls


def refuse_nul_like_postgresql(execute, sql, params, many, context):
    for value in params or ():
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


ROUTES = sorted(set(routes()))


def test_every_url_pattern_is_reached():
    assert len(ROUTES) > 200
    assert "metiers/<str:code_rome>/" in ROUTES


@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_a_nul_byte_in_any_url_answers_400(db, role):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(member(Role.COORDINATOR))
    answers = {}
    with connection.execute_wrapper(refuse_nul_like_postgresql):
        for route in ROUTES:
            for url in urls_with(route, "\x00"):
                answers[url] = client.get(url).status_code
                answers[f"{url}?q=a%00b"] = client.get(
                    "/" + CONVERTER.sub("1", route) + "?q=a%00b"
                ).status_code

    wrong = {url: status for url, status in answers.items() if status != 400}
    assert wrong == {}


@pytest.mark.parametrize("character", ["\x01", "\n", "\r", "\t", "\x1b", "\x7f", "\x85"])
def test_other_control_characters_in_the_path_answer_400(client, db, character):
    for url in urls_with("metiers/<str:code_rome>/", character) + urls_with("", character):
        assert client.get(url).status_code == 400, url


def test_a_line_break_typed_in_a_search_field_is_still_accepted(client, db):
    assert client.get("/metiers/?q=aide%0Asoignant").status_code == 200

"""The Content-Security-Policy in the browser (ADR 0011): the site's own pages run under it
without a single refusal (the `page` fixture fails on any), and an inline script is refused
and seen."""

from tests.e2e.conftest import csp_violation


def test_an_inline_script_is_refused_and_reported(browser, live_server):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    page.goto("/")

    with page.expect_console_message(predicate=csp_violation):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.head.append(script);
                document.body.setAttribute("style", "color: red");
            }"""
        )

    assert page.evaluate("window.injected") is None
    context.close()


def test_the_public_pages_and_sign_in_run_under_the_policy(page, db):
    for path in ("/", "/comptes/connexion/", "/accessibilite/"):
        response = page.goto(path)
        assert "script-src 'self'" in response.headers["content-security-policy"]

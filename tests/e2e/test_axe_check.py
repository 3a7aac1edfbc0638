import pytest

from tests.e2e.conftest import axe_check


def test_axe_check_fails_on_a_serious_violation(browser):
    page = browser.new_page()
    page.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main>'
        '<img src="x.png"><input type="text"></main></body></html>'
    )

    with pytest.raises(AssertionError, match=r"image-alt|label"):
        axe_check(page)
    page.close()


def test_axe_check_fails_on_a_page_that_scrolls_sideways_at_phone_width(browser):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main><h1>t</h1>'
        '<p class="wide" style="width: 600px">large</p></main></body></html>'
    )

    with pytest.raises(AssertionError, match=r"sideways scroll.*p\.wide"):
        axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    axe_check(page)
    page.close()

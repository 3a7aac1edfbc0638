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

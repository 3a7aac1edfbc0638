import pytest
from django.core.management import call_command

from tests.fixtures.rome_fixture import FIXTURE


@pytest.fixture
def rome(db):
    call_command("import_rome", str(FIXTURE), verbosity=0)

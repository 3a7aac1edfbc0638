"""No secret in clear (ADR 0001, ADR 0010): after each flow that creates a secret link, the raw
token is in the e-mail (or the page) that gives it to its holder, and nowhere else — not in the
task table (`django_tasks_db`, whose rows keep their arguments), not in any other table (the
e-mail outbox, the audit log…), not in the logs.

The tasks go through the database backend, as under `tisser_worker`, and are then run from
their rows as the worker would; the whole database is scanned, every model and every column."""

import logging
import re
import time

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.bilans.synthesis_helpers import validated_synthesis
from tisser.accounts.services import invitation_resolve
from tisser.bilans import services as bilans
from tisser.bilans.models import Funding
from tisser.meetings.services import calendar_feed_user

pytestmark = pytest.mark.django_db

PLACEHOLDER = "JETON"


@pytest.fixture(autouse=True)
def tasks_through_the_database(settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    caplog.set_level(logging.DEBUG)


def run_queued_tasks() -> int:
    """Run every READY task from its stored row, as the worker does; how many ran."""
    rows = list(DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at"))
    for row in rows:
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.set_successful(None)
    return len(rows)


def token_in(text: str, url_name: str, **kwargs) -> str:
    """The token of the first `url_name` link in `text` (its other parts: any word)."""
    if kwargs:
        pattern = re.escape(reverse(url_name, kwargs={**kwargs, "key": PLACEHOLDER}))
        for value in kwargs.values():
            pattern = pattern.replace(re.escape(value), r"[0-9A-Za-z]+")
    else:
        pattern = re.escape(reverse(url_name, args=[PLACEHOLDER]))
    found = re.search(pattern.replace(PLACEHOLDER, r"([A-Za-z0-9_\-]{20,})"), text)
    assert found, f"no {url_name} link in:\n{text}"
    return found.group(1)


def places_holding(secret: str, caplog) -> list[str]:
    """Every table row and log record where `secret` appears."""
    places = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        columns = [field.attname for field in model._meta.concrete_fields]
        for row in model._base_manager.values_list(*columns):
            if any(secret in str(value) for value in row):
                places.append(f"table {model._meta.db_table}: {row}")
    places += [f"log {record.name}: {record.getMessage()}" for record in caplog.records]
    return [place for place in places if secret in place]


def test_an_invitation_token_lives_in_its_email_only(
    client, people, caplog, django_capture_on_commit_callbacks
):
    client.force_login(people["consultant"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitations:list"),
            {"email": "nouvelle@example.org", "first_name": "Camille", "role": "beneficiary"},
        )
    assert response.status_code == 302

    assert run_queued_tasks() == 1

    [email] = mail.outbox
    token = token_in(email.body, "public:invitation_accept")
    assert invitation_resolve(raw_token=token).email == "nouvelle@example.org"
    assert places_holding(token, caplog) == []


def test_a_synthesis_share_token_lives_in_its_email_only(
    client, people, caplog, django_capture_on_commit_callbacks
):
    bilan = bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )
    document = validated_synthesis(bilan)
    bilans.synthesis_pdf_render(document_id=document.pk)
    mail.outbox.clear()
    client.force_login(people["beneficiary"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bilans:synthesis_share_create", args=[bilan.pk]),
            {
                "share-recipient_name": "Inès Martin",
                "share-recipient_email": "ines.martin@cep.example.org",
                "share-recipient_role": "Conseillère en évolution professionnelle",
                "share-purpose": "Préparer mon dossier de formation",
                "share-consent": "on",
            },
        )
    assert response.status_code == 302

    assert run_queued_tasks() >= 1

    [email] = [m for m in mail.outbox if m.to == ["ines.martin@cep.example.org"]]
    token = token_in(email.body, "bilans:synthesis_shared")
    assert bilans.synthesis_share_resolve(raw_token=token).recipient_name == "Inès Martin"
    assert places_holding(token, caplog) == []


def test_a_calendar_feed_token_lives_in_its_page_only(client, people, caplog):
    client.force_login(people["mentor"])

    response = client.post(reverse("meetings:feed"), {"action": "regenerate"})

    token = token_in(response.content.decode(), "meetings:feed_ics")
    assert calendar_feed_user(token) == people["mentor"]
    assert places_holding(token, caplog) == []


def test_a_password_reset_key_lives_in_its_email_only(client, people, caplog):
    response = client.post(
        reverse("account_reset_password"), {"email": people["beneficiary"].email}
    )
    assert response.status_code == 302

    [email] = mail.outbox
    key = token_in(email.body, "account_reset_password_from_key", uidb36="UIDB")
    assert places_holding(key, caplog) == []


def test_second_factor_secrets_are_stored_encrypted_and_still_work(people, caplog):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

    from tests.factories import totp_activate
    from tisser.accounts.mfa_adapter import mfa_decrypt

    user = people["beneficiary"]
    secret = totp_activate(user)
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    seed = mfa_decrypt(codes.data["seed"])

    assert places_holding(secret, caplog) == []
    assert places_holding(seed, caplog) == []
    totp = TOTP(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP))
    counter = int(time.time()) // 30
    assert totp.validate_code(format_hotp_value(hotp_value(secret, counter)))
    assert RecoveryCodes(codes).validate_code(RecoveryCodes(codes).get_unused_codes()[0])


def test_the_migration_encrypts_the_secrets_stored_in_clear_before(people):
    import importlib

    from allauth.mfa.models import Authenticator

    from tisser.accounts.mfa_adapter import PREFIX, mfa_decrypt

    migration = importlib.import_module(
        "tisser.accounts.migrations.0002_worker_mfa_secrets_encrypted"
    )
    old = Authenticator.objects.create(
        user=people["mentor"], type=Authenticator.Type.TOTP, data={"secret": "EN-CLAIR"}
    )

    migration.encrypt_existing(apps, None)
    migration.encrypt_existing(apps, None)  # twice: already encrypted values stay as they are

    stored = Authenticator.objects.get(pk=old.pk).data["secret"]
    assert stored.startswith(PREFIX)
    assert mfa_decrypt(stored) == "EN-CLAIR"

"""Encrypt the second-factor secrets stored in clear before MFA_ADAPTER encrypted them
(ADR 0010). Reversible: decrypting gives back the values as they were."""

from django.db import migrations

FIELDS = ("secret", "seed")


def encrypt_existing(apps, schema_editor):
    from tisser.accounts.mfa_adapter import PREFIX, mfa_encrypt

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        data = dict(authenticator.data or {})
        changed = False
        for field in FIELDS:
            value = data.get(field)
            if isinstance(value, str) and not value.startswith(PREFIX):
                data[field] = mfa_encrypt(value)
                changed = True
        if changed:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def decrypt_existing(apps, schema_editor):
    from tisser.accounts.mfa_adapter import PREFIX, mfa_decrypt

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        data = dict(authenticator.data or {})
        for field in FIELDS:
            value = data.get(field)
            if isinstance(value, str) and value.startswith(PREFIX):
                data[field] = mfa_decrypt(value)
        Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_existing, decrypt_existing)]

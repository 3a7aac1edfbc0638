"""The secrets of the second factor (the TOTP key, the seed of the recovery codes) must be
readable by the server, so they cannot be hashed: they are encrypted (Fernet) with a key
derived from SECRET_KEY, so that a database dump or a backup alone gives none of them
(ADR 0010). allauth calls `encrypt` and `decrypt` around every read and write of them."""

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

# Marks a value this adapter encrypted; a value without it was stored before (in clear).
PREFIX = "fernet:"


def _fernet(secret_key: str) -> Fernet:
    # Not SECRET_KEY itself: a key of its own for this use, derived from it.
    digest = hashlib.sha256(f"tisser.mfa:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def mfa_cipher() -> MultiFernet:
    """Encrypts with SECRET_KEY; also decrypts with SECRET_KEY_FALLBACKS, so that rotating
    the key does not lock anyone out (values are re-encrypted when next written)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def mfa_encrypt(text: str) -> str:
    return PREFIX + mfa_cipher().encrypt(text.encode()).decode()


def mfa_decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption; the migration encrypts those
    return mfa_cipher().decrypt(stored[len(PREFIX) :].encode()).decode()


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return mfa_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_decrypt(encrypted_text)

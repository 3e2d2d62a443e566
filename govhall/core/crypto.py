"""Personal data encrypted at rest (ID numbers): a model field that encrypts on save and
decrypts on load, with keys from the environment.

Keys are Fernet keys (AES-128-CBC + HMAC-SHA256) in `settings.GOVHALL_DATA_KEYS`: the first
encrypts, every one decrypts, so a key is rotated by putting the new one first, running
`manage.py rotate_data_key`, then dropping the old one. A value stored in clear (rows written
before the field was encrypted) still reads; the next save encrypts it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

# Every Fernet token starts with its version byte 0x80, which base64 spells "gAAAAA".
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 (a format marker, not a secret)


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("GOVHALL_DATA_KEYS is empty: personal data cannot be stored.")
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(
            "GOVHALL_DATA_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.GOVHALL_DATA_KEYS))


def is_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def encrypt(value: str) -> str:
    """The token for `value` (a new random one each time); "" stays "" so blank stays blank."""
    if not value:
        return value
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(value: str) -> str:
    """The clear value of a token; a value stored in clear is returned as it is."""
    if not value or not is_token(value):
        return value
    try:
        return fernet().decrypt(value.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with any key in GOVHALL_DATA_KEY: "
            "the key that encrypted it is missing."
        ) from exc


def rotate(value: str) -> str:
    """The value re-encrypted under the first key (clear values are encrypted)."""
    if not value:
        return value
    if not is_token(value):
        return encrypt(value)
    return fernet().rotate(value.encode("ascii")).decode("ascii")


@functools.cache
def _derived(keys: tuple[str, ...], purpose: bytes) -> tuple[bytes, ...]:
    if not keys:
        raise ImproperlyConfigured("GOVHALL_DATA_KEYS is empty: no key to derive from.")
    return tuple(
        HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
            key.encode("utf-8")
        )
        for key in keys
    )


def derived_keys(purpose: str) -> tuple[bytes, ...]:
    """One 32-byte key per data key (the first from the first), for `purpose` only (HKDF).

    A derived key is never stored: it lives in memory, made from GOVHALL_DATA_KEY, so whoever
    holds only the database cannot compute it, and it reveals nothing of the data key.
    """
    return _derived(tuple(settings.GOVHALL_DATA_KEYS), b"govhall:" + purpose.encode("ascii"))


def blind_index(value: str) -> str:
    """A keyed hash (HMAC-SHA256) for finding a record by an exact encrypted value.

    Keyed by SECRET_KEY's derivative, not the data keys, so rotating data keys keeps indexes.
    """
    key = hashlib.sha256(b"govhall-blind-index:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, value.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text encrypted at rest. `max_length` limits the clear value (forms, validation); the
    column is unbounded text because tokens are about 2.5× longer than the value plus 80.

    Only `isnull` and comparison with "" work in queries: equal values encrypt differently.
    """

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ("isnull", "exact"):
            raise FieldError(
                f"{self.name} is encrypted: '{lookup_name}' cannot search it "
                "(compare a blind_index column instead)."
            )
        return super().get_lookup(lookup_name)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or is_token(value):
            return value
        return encrypt(value)

"""Personal data at rest: SM4-GCM encryption and an SM3-HMAC blind index.

ID numbers and mobile numbers are stored encrypted (a fresh 12-byte nonce per
value; nonce, ciphertext and tag kept together) and looked up through a keyed
SM3 HMAC of the normalised value, so that equality and uniqueness work
without decrypting. Both keys derive from settings.FIELD_ENCRYPTION_KEY.
"""

from __future__ import annotations

import base64
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_PREFIX = "sm4gcm1:"
# Used only when DEBUG is on and no key is configured (tests, first run).
_DEV_KEY = "00" * 32


@lru_cache(maxsize=4)
def _keys(master_hex: str) -> tuple[bytes, bytes]:
    try:
        master = bytes.fromhex(master_hex)
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be hexadecimal."
        ) from None
    if len(master) < 32:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be 64 hex characters.")
    enc = hmac.new(master, b"gongkao sm4 field key", "sm3").digest()[:16]
    idx = hmac.new(master, b"gongkao sm3 blind index key", "sm3").digest()
    return enc, idx


def _master() -> str:
    key: str = settings.FIELD_ENCRYPTION_KEY or (_DEV_KEY if settings.DEBUG else "")
    if not key:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set.")
    return key


def encrypt(plaintext: str) -> str:
    enc_key, _ = _keys(_master())
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(enc_key), modes.GCM(nonce)).encryptor()
    ciphertext = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return _PREFIX + base64.b64encode(nonce + ciphertext + encryptor.tag).decode(
        "ascii"
    )


def decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(token[len(_PREFIX) :])
    nonce, ciphertext, tag = raw[:12], raw[12:-16], raw[-16:]
    enc_key, _ = _keys(_master())
    decryptor = Cipher(algorithms.SM4(enc_key), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(ciphertext) + decryptor.finalize()).decode("utf-8")


def blind_index(value: str) -> str:
    """Keyed SM3 HMAC, hex: the same value always gives the same index."""
    _, idx_key = _keys(_master())
    return hmac.new(idx_key, value.encode("utf-8"), "sm3").hexdigest()

"""A paper reaches the exam PC at login sealed (ChaCha20, RFC 8439); the key
comes with the start signal, so no question is readable in a browser before
the subject starts, and the start itself is a small response. The page
decrypts with static/js/chacha20.js."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from django.conf import settings

# The block counter the keystream starts at (RFC 8439's encryption uses 1).
COUNTER = 1


def key_for(paper_id: int) -> bytes:
    """A practice paper's key, derived, never stored."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"cbt-paper:{paper_id}".encode(), hashlib.sha256
    ).digest()


def key_for_seat(seat_id: int, order: int) -> bytes:
    """The key of a seat's `order`-th subject, derived from what the login
    cookie carries, so the start signal needs no database read."""
    return hmac.new(
        settings.SECRET_KEY.encode(),
        f"cbt-seat:{seat_id}:{order}".encode(),
        hashlib.sha256,
    ).digest()


def seal(data: bytes, key: bytes, nonce: bytes | None = None) -> tuple[str, str]:
    """(nonce, ciphertext), base64."""
    nonce = nonce or os.urandom(12)
    full = COUNTER.to_bytes(4, "little") + nonce
    encryptor = Cipher(algorithms.ChaCha20(key, full), mode=None).encryptor()
    sealed = encryptor.update(data) + encryptor.finalize()
    return base64.b64encode(nonce).decode(), base64.b64encode(sealed).decode()


def unseal(nonce: str, sealed: str, key: bytes) -> bytes:
    full = COUNTER.to_bytes(4, "little") + base64.b64decode(nonce)
    decryptor = Cipher(algorithms.ChaCha20(key, full), mode=None).decryptor()
    return decryptor.update(base64.b64decode(sealed)) + decryptor.finalize()


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()

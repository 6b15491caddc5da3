"""Terminal tokens: made from the OS's randomness, kept only as a hash, compared by hash.

A token is 32 random bytes (URL-safe text with a ``ksp_`` prefix that says what it is when
it turns up in a config file). The office keeps its SHA-256: a token has 256 bits of entropy,
so a slow password hash (argon2) would add nothing but latency to every push; a leaked
database still does not let anyone push.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "ksp_"


def new_token() -> str:
    """A fresh terminal token (shown once, to be written into the terminal's ``[office]``)."""
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the office stores and looks a token up by."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, or None."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or len(value) > 200:
        return None
    return value

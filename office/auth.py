"""Terminal tokens and back-office passwords: what the office keeps instead of the secret.

Terminal tokens: made from the OS's randomness, kept only as a hash, compared by hash.

A token is 32 random bytes (URL-safe text with a ``ksp_`` prefix that says what it is when
it turns up in a config file). The office keeps its SHA-256: a token has 256 bits of entropy,
so a slow password hash (argon2) would add nothing but latency to every push; a leaked
database still does not let anyone push.

Passwords: argon2id through argon2-cffi's :class:`PasswordHasher` (its defaults, RFC 9106's
low-memory profile); a person's password has little entropy, so here the slow hash is the point.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher

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


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher  # only the web and ``user add`` pay for the import

    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash to keep for ``password``."""
    return _hasher().hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (False for a malformed hash too). With
    None (no such user) a hash is still checked, so that answer takes as long as a wrong
    password and does not tell which logins exist."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored_hash or _dummy_hash(), password)) and bool(
            stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether ``stored_hash`` was made with weaker parameters than today's."""
    return bool(_hasher().check_needs_rehash(stored_hash))

"""Encryption at rest for private notes: Fernet keys combined in a MultiFernet.

The keys come from PLANNER_SECRET_KEY (comma-separated, newest first), read here and nowhere
else; without it (the demo), from secret.key under the data directory, created once with mode
0600 (one key per line, newest first). The newest key encrypts; every listed key decrypts, so
a rotation is: put a new key first, run `python -m data rotate-key` to re-encrypt every note
with it, then drop the old key. Plaintext is never logged, exported or stored.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from data.db import data_dir

KEY_ENV = "PLANNER_SECRET_KEY"
KEY_FILE_NAME = "secret.key"

_lock = threading.Lock()
_cache: dict[tuple[str, ...], MultiFernet] = {}


class SecretKeyError(ValueError):
    """A key setting is malformed or a token cannot be decrypted with any listed key."""


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _parse(raw: str, source: str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in raw.replace("\n", ",").split(",") if k.strip())
    if not keys:
        raise SecretKeyError(f"{source}: no key found; expected Fernet keys, newest first")
    for n, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise SecretKeyError(
                f"{source}: key {n} is not a Fernet key (expected 32 url-safe base64-encoded "
                "bytes; `python -m data new-key` prints one)"
            ) from None
    return keys


def key_file() -> Path:
    return data_dir() / KEY_FILE_NAME


def _key_file_keys() -> tuple[str, ...]:
    path = key_file()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _parse(path.read_text(encoding="ascii"), str(path))
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(new_key() + "\n")
    return _parse(path.read_text(encoding="ascii"), str(path))


def current_keys() -> tuple[str, ...]:
    raw = os.environ.get(KEY_ENV, "").strip()
    return _parse(raw, KEY_ENV) if raw else _key_file_keys()


def cipher(keys: tuple[str, ...] | None = None) -> MultiFernet:
    keys = keys or current_keys()
    with _lock:
        found = _cache.get(keys)
        if found is None:
            found = _cache[keys] = MultiFernet([Fernet(k.encode("ascii")) for k in keys])
        return found


def encrypt(plaintext: str, keys: tuple[str, ...] | None = None) -> str:
    return cipher(keys).encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str, keys: tuple[str, ...] | None = None) -> str:
    try:
        return cipher(keys).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise SecretKeyError(
            f"a private note cannot be decrypted with any key in {KEY_ENV} (or the key file): "
            "was a key dropped before `python -m data rotate-key` ran?"
        ) from None


def rotate(token: str, keys: tuple[str, ...] | None = None) -> str:
    """The same plaintext encrypted under the newest key."""
    try:
        return cipher(keys).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise SecretKeyError(
            f"a private note cannot be decrypted with any key in {KEY_ENV} (or the key file)"
        ) from None

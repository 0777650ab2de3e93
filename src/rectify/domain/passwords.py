"""Password hashes: stdlib scrypt, random salt, parameters stored in the hash string.

Format: `scrypt$<n>$<r>$<p>$<salt, base64>$<key, base64>`, so the cost can be raised
later without invalidating stored hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from rectify.domain.errors import InvalidInput

SCHEME = "scrypt"
DEFAULT_N = 2**15
DEFAULT_R = 8
DEFAULT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_PASSWORD_LENGTH = 8


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        dklen=dklen,
        maxmem=256 * n * r + 1024 * 1024 * 16,
    )


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"密码太短：至少 {MIN_PASSWORD_LENGTH} 个字符")
    if password.strip() != password:
        raise InvalidInput("密码首尾不能有空白字符")


@dataclass(frozen=True)
class PasswordHash:
    encoded: str

    @classmethod
    def create(
        cls, password: str, *, n: int = DEFAULT_N, r: int = DEFAULT_R, p: int = DEFAULT_P
    ) -> PasswordHash:
        if n < 2 or n & (n - 1):
            raise InvalidInput(f"scrypt 参数 n 须为大于 1 的 2 的幂（收到 {n}）")
        salt = secrets.token_bytes(SALT_BYTES)
        key = _scrypt(password, salt, n, r, p, KEY_BYTES)
        b64 = base64.b64encode
        return cls(f"{SCHEME}${n}${r}${p}${b64(salt).decode()}${b64(key).decode()}")

    @classmethod
    def parse(cls, encoded: str) -> PasswordHash:
        cls._parts(encoded)
        return cls(encoded)

    @staticmethod
    def _parts(encoded: str) -> tuple[int, int, int, bytes, bytes]:
        try:
            scheme, n, r, p, salt, key = encoded.split("$")
            if scheme != SCHEME:
                raise ValueError(scheme)
            return (
                int(n),
                int(r),
                int(p),
                base64.b64decode(salt, validate=True),
                base64.b64decode(key, validate=True),
            )
        except ValueError:
            raise InvalidInput("存储的密码摘要格式不对（应为 scrypt$n$r$p$salt$key）") from None

    def verify(self, password: str) -> bool:
        """Constant-time comparison of the derived key."""
        n, r, p, salt, key = self._parts(self.encoded)
        candidate = _scrypt(password, salt, n, r, p, len(key))
        return hmac.compare_digest(candidate, key)

    @property
    def needs_rehash(self) -> bool:
        n, r, p, _, _ = self._parts(self.encoded)
        return (n, r, p) != (DEFAULT_N, DEFAULT_R, DEFAULT_P)

    def __repr__(self) -> str:  # never print the hash into logs
        return "PasswordHash(***)"


# Verified against when the user does not exist, so that the time taken does not tell.
# Made of random salt and key (no scrypt run to create it): checking a password against
# it costs exactly one scrypt at the users' cost, like checking a real user's hash.
_DUMMIES: dict[int, PasswordHash] = {}


def dummy_verify(password: str, n: int = DEFAULT_N) -> None:
    dummy = _DUMMIES.get(n)
    if dummy is None:
        b64 = base64.b64encode
        salt, key = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(KEY_BYTES)
        dummy = _DUMMIES[n] = PasswordHash(
            f"{SCHEME}${n}${DEFAULT_R}${DEFAULT_P}${b64(salt).decode()}${b64(key).decode()}"
        )
    dummy.verify(password)

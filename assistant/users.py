"""Who may use the web app: a file of users with Argon2-hashed passwords and a role (staff or admin).

One user per line, ``name:role:argon2-hash``; lines starting with ``#`` are comments. The file holds no
password, only hashes; `communiques users add NAME` writes it.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ROLES = ("staff", "admin")
_NAME = re.compile(r"^[\w.@-]{1,64}$")


class UsersFileError(ValueError):
    """The users file cannot be read or a user cannot be added; the message says what to fix."""


@dataclass(frozen=True)
class User:
    """One person who may log in."""

    name: str
    role: str
    password_hash: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


class Users:
    """The users file, read once; ``check`` verifies a login, ``role`` says what a logged-in user may do."""

    def __init__(self, path: Path, max_failures: int = 5, lockout_s: float = 900.0,
                 clock: Callable[[], float] = time.monotonic):
        self.path = Path(path)
        self._users = self._read()
        # Password guessing: after ``max_failures`` wrong logins of one name within ``lockout_s``, that name is
        # refused (even with the right password) until the oldest failure is ``lockout_s`` old.
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def locked(self, name: str) -> bool:
        """Whether logins of ``name`` are refused for now, after too many wrong passwords."""
        with self._lock:
            recent = self._failures.get(name)
            now = self._clock()
            while recent and now - recent[0] >= self.lockout_s:
                recent.popleft()
            return bool(recent) and len(recent) >= self.max_failures

    def _read(self) -> dict[str, User]:
        if not self.path.exists():
            return {}
        users: dict[str, User] = {}
        for lineno, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.strip().split(":", 2)
            if len(parts) != 3 or parts[1] not in ROLES or not parts[2].startswith("$argon2"):
                raise UsersFileError(f"{self.path}:{lineno}: expected 'name:role:argon2-hash' with role staff or "
                                     "admin; recreate the line with `communiques users add NAME`.")
            users[parts[0]] = User(parts[0], parts[1], parts[2])
        return users

    def __len__(self) -> int:
        return len(self._users)

    def names(self) -> list[str]:
        return sorted(self._users)

    def get(self, name: str) -> User | None:
        return self._users.get(name)

    def check(self, name: str, password: str) -> bool:
        """Whether ``password`` is the password of ``name`` (False for unknown users, and for a name locked after
        too many wrong passwords)."""
        if self.locked(name):
            log.warning("login refused: too many failed attempts user=%s", name)  # never the password
            return False
        ok = self._verify(name, password)
        with self._lock:
            if ok:
                self._failures.pop(name, None)
            else:
                if len(self._failures) > 10_000:  # names tried at random must not fill the memory
                    self._failures = {n: d for n, d in self._failures.items() if len(d) >= self.max_failures}
                self._failures.setdefault(name, deque(maxlen=self.max_failures)).append(self._clock())
        return ok

    def _verify(self, name: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        user = self._users.get(name)
        if user is None:
            # Hash anyway so that unknown names take as long as wrong passwords.
            _hasher().hash(password)
            return False
        try:
            return _hasher().verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def role(self, name: str | None) -> str | None:
        """The role of a logged-in user, or None for nobody."""
        user = self._users.get(name or "")
        return user.role if user else None

    def add(self, name: str, password: str, role: str = "staff") -> User:
        """Add or replace a user (the password is hashed) and rewrite the file atomically."""
        if not _NAME.match(name):
            raise UsersFileError(f"'{name}' is not a valid user name: use letters, digits, '.', '_', '-' or '@'.")
        if role not in ROLES:
            raise UsersFileError(f"Unknown role '{role}': use one of {', '.join(ROLES)}.")
        if len(password) < 8:
            raise UsersFileError("The password is too short: use at least 8 characters.")
        user = User(name, role, _hasher().hash(password))
        self._users = {**self._users, name: user}
        self._write()
        return user

    def remove(self, name: str) -> bool:
        """Remove a user; False if there was none of that name."""
        if name not in self._users:
            return False
        self._users = {k: v for k, v in self._users.items() if k != name}
        self._write()
        return True

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# Communiqués users: name:role:argon2-hash (edit with `communiques users add|remove`)"]
        lines += [f"{u.name}:{u.role}:{u.password_hash}" for u in sorted(self._users.values(), key=lambda u: u.name)]
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".users-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


class ExpiringSessions(dict):
    """The web server's login sessions (token -> user name), each forgotten ``ttl_s`` seconds after its login.

    Gradio keeps its sessions in a plain dict and looks them up with ``get`` and ``in``: those two see an expired
    session as absent (and drop it), so the next page or API call asks to log in again.
    """

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.ttl_s = ttl_s
        self._clock = clock
        self._born: dict[str, float] = {}

    def __setitem__(self, token: str, user: str) -> None:
        self._born[token] = self._clock()
        super().__setitem__(token, user)

    def __delitem__(self, token: str) -> None:
        self._born.pop(token, None)
        super().__delitem__(token)

    def _alive(self, token) -> bool:
        born = self._born.get(token)
        if born is not None and self._clock() - born >= self.ttl_s:
            self.pop(token, None)
            self._born.pop(token, None)
            return False
        return super().__contains__(token)

    def __contains__(self, token) -> bool:
        return self._alive(token)

    def get(self, token, default=None):
        return super().get(token, default) if self._alive(token) else default

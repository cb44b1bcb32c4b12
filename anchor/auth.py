"""Who may do what: the viewer, analyst and admin roles, and how a person gets one.

Viewers read. Analysts also load data, undo loads and remove the demo. Admins may do
everything an analyst may; the role is kept apart so a deployment can name the people who
look after it. With a sign-in provider configured, people are mapped to roles by email
(`role_for_email`); with none, everyone has the local role from configuration
(`ANCHOR_ROLE`, analyst by default). No Streamlit here: `anchor.ui.auth` is the glue.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from anchor import config


class Role(IntEnum):
    VIEWER = 1
    ANALYST = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class PermissionDenied(PermissionError):
    """The person's role does not allow what they asked for."""


def parse_role(text: object) -> Role:
    """'Analyst' -> Role.ANALYST. Raises ValueError naming the roles."""
    name = str(text).strip().upper()
    if name not in Role.__members__:
        raise ValueError(f"{text!r} is not a role; use viewer, analyst or admin.")
    return Role[name]


@dataclass(frozen=True)
class User:
    """Someone using Anchor. `name` is what the audit trail records as `loaded_by`."""

    name: str
    role: Role
    mode: str  # 'signed in', 'not signed in', 'local' or 'command line'
    email: str | None = None

    def can(self, needed: Role) -> bool:
        return self.role >= needed

    @property
    def can_load(self) -> bool:
        return self.can(Role.ANALYST)

    def describe(self) -> str:
        if self.mode == "not signed in":
            return "Not signed in (viewer)"
        return f"{self.name} ({self.role.label})"


def require(user: User | None, needed: Role, action: str) -> None:
    """Raise PermissionDenied unless `user` has at least the role `needed`."""
    if user is None or not user.can(needed):
        who = "Nobody signed in" if user is None else user.describe()
        raise PermissionDenied(
            f"{who} cannot {action}: it needs the {needed.label} role or higher."
        )


def local_user(mode: str = "local") -> User:
    """Everyone, when no sign-in provider is configured; and the command line.

    The role comes from `ANCHOR_ROLE`; the name recorded in the audit trail from
    `ANCHOR_USER`, else the operating-system account.
    """
    role = parse_role(config.local_role_name())
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "unknown"
    name = os.environ.get("ANCHOR_USER") or account
    return User(name=name, role=role, mode=mode)


def anonymous_user() -> User:
    return User(name="not signed in", role=Role.VIEWER, mode="not signed in")


def _matches(email: str, entries: Iterable[str]) -> bool:
    """An entry is an email address, or '@domain' for everyone at that domain."""
    email = email.strip().lower()
    for entry in entries:
        entry = str(entry).strip().lower()
        if entry and (email == entry or (entry.startswith("@") and email.endswith(entry))):
            return True
    return False


def role_for_email(email: str | None, roles: Mapping[str, object] | None) -> Role:
    """The role configured for a signed-in person; the highest that lists them.

    `roles` is the `[anchor_roles]` table of the app's secrets, e.g.
    `{"admin": ["it.lead@nhs.net"], "analyst": ["@finance.example.nhs.uk"], "default": "viewer"}`.
    Anyone not listed gets `default` (viewer unless configured otherwise).
    """
    roles = roles or {}
    if email:
        for role in (Role.ADMIN, Role.ANALYST, Role.VIEWER):
            entries = roles.get(role.label) or []
            if isinstance(entries, str):
                entries = [entries]
            if _matches(email, entries):
                return role
    return parse_role(roles.get("default", "viewer"))


def signed_in_user(email: str | None, name: str | None, roles: Mapping[str, object] | None) -> User:
    return User(name=email or name or "unknown", role=role_for_email(email, roles),
                mode="signed in", email=email)

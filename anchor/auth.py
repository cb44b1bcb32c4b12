"""Who may do what: the viewer, analyst and admin roles, and how a person gets one.

Viewers read. Analysts also load data, undo loads and remove the demo. Admins may do
everything an analyst may; the role is kept apart so a deployment can name the people who
look after it. With a sign-in provider configured, people are mapped to roles by email
(`role_for_email`), but only an email the provider says it has verified (`email_verified`)
earns more than viewer: anyone can type any address into an account at some providers.
A deployment whose provider sends no `email_verified` claim at all (Microsoft Entra ID)
trusts its emails with `accept_missing_email_verified = true` in `[anchor_roles]`. With no
provider, everyone has the local role from configuration (`ANCHOR_ROLE`, analyst by
default). No Streamlit here: `anchor.ui.auth` is the glue.
"""

from __future__ import annotations

import functools
import getpass
import inspect
import os
from collections.abc import Callable, Iterable, Mapping
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
    mode: str  # 'signed in', 'not signed in', 'local', 'command line' or 'setup'
    email: str | None = None
    # signed in: whether the provider verified the email (None when it did not say), and
    # so whether the email's role applies
    email_trusted: bool = True

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


@dataclass(frozen=True)
class Write:
    """A function that writes to the warehouse, as `writes` registered it."""

    func: Callable
    action: str
    needed: Role
    audited: bool


# Every function that writes to the warehouse, by 'module.name': the role test calls each
# as a viewer, and scans the source for writes outside them.
WRITES: dict[str, Write] = {}


def writes(action: str, *, needed: Role = Role.ANALYST, audited: bool = True):
    """Mark a function that writes to the warehouse. Its `user` argument must have the role
    `needed` (`require`, with `action` as the refusal's words) before its body runs at all,
    so no write can start for someone who may not make it. `audited`: the function records
    who did what in the audit trail (`load`); False only for writes that change nothing a
    viewer sees."""

    def register(func: Callable) -> Callable:
        signature = inspect.signature(func)
        if "user" not in signature.parameters:
            raise TypeError(f"{func.__qualname__} writes to the warehouse: it needs a `user`.")

        @functools.wraps(func)
        def checked(*args, **kwargs):
            require(signature.bind(*args, **kwargs).arguments.get("user"), needed, action)
            return func(*args, **kwargs)

        WRITES[f"{func.__module__}.{func.__qualname__}"] = Write(checked, action, needed,
                                                                 audited)
        return checked

    return register


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


def setup_user() -> User:
    """Anchor itself preparing a warehouse: installing the geography it ships with when the
    warehouse lacks it, and building the demo into a warehouse that holds no data at all.
    Only those first-time paths act as this user (`anchor setup`, the app's first start);
    they replace nothing anyone loaded, so whoever starts them may."""
    return User(name="anchor setup", role=Role.ANALYST, mode="setup")


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


ACCEPT_MISSING_EMAIL_VERIFIED = "accept_missing_email_verified"


def parse_verified(value: object) -> bool | None:
    """The `email_verified` claim: True, False, or None when the provider did not send it.
    Some providers send it as the text 'true' or 'false'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no", ""):
        return False
    return False  # anything else is not a yes


def email_is_trusted(email_verified: object, roles: Mapping[str, object] | None) -> bool:
    """Whether an email may decide a role: the provider verified it, or it sends no
    `email_verified` claim and the deployment has said it trusts its emails."""
    verified = parse_verified(email_verified)
    if verified is None:
        opt_in = (roles or {}).get(ACCEPT_MISSING_EMAIL_VERIFIED, False)
        return parse_verified(opt_in) is True
    return verified


def signed_in_user(email: str | None, name: str | None, roles: Mapping[str, object] | None,
                   email_verified: object = None) -> User:
    """Someone the provider signed in. Their email's role applies only when the email is
    trusted (`email_is_trusted`); otherwise they are a viewer, whatever lists name them."""
    trusted = bool(email) and email_is_trusted(email_verified, roles)
    role = role_for_email(email, roles) if trusted else Role.VIEWER
    return User(name=email or name or "unknown", role=role, mode="signed in", email=email,
                email_trusted=trusted)

"""Streamlit's side of roles: who is using the app, and the sign-in box in the sidebar.

With an OpenID Connect provider in `.streamlit/secrets.toml` (`[auth]`), people sign in
with Streamlit's `st.login` and get the role `[anchor_roles]` gives their email (see
`anchor.auth.role_for_email`) once the provider says it has verified that email; until
they sign in they are viewers. With no provider the
app runs in local mode: everyone has the role in `ANCHOR_ROLE` (analyst by default), and
the sidebar says so.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from anchor import auth
from anchor.formatting import md_text


def _secret(name: str) -> Mapping | None:
    try:
        value = st.secrets.get(name)
    except FileNotFoundError:  # no secrets.toml at all
        return None
    return value if isinstance(value, Mapping) and value else None


def sign_in_configured() -> bool:
    return _secret("auth") is not None


def _provider() -> str | None:
    """The provider to sign in with: the one in [auth] itself, else the first [auth.NAME]."""
    section = _secret("auth") or {}
    if "client_id" in section:
        return None
    return next((name for name, value in section.items() if isinstance(value, Mapping)), None)


def current_user() -> auth.User:
    """The person using this session, with their role."""
    if not sign_in_configured():
        return auth.local_user()
    if not st.user.is_logged_in:
        return auth.anonymous_user()
    roles = _secret("anchor_roles") or {}
    email = st.user.get("email")
    return auth.signed_in_user(str(email) if email else None, st.user.get("name"), roles,
                               st.user.get("email_verified"))


def render_account(sb) -> auth.User:
    """The sidebar's account line: who, which role, and sign in or out."""
    user = current_user()
    if not sign_in_configured():
        sb.caption(f"Local mode, no sign-in: everyone here is **{user.role.label}** "
                   "(set by ANCHOR_ROLE).")
        return user
    if user.mode == "not signed in":
        sb.caption("Viewing without signing in.")
        if sb.button("Sign in", icon=":material/login:", key="sign_in"):
            st.login(_provider())
    else:
        sb.caption(f"Signed in as **{md_text(user.name)}** ({user.role.label}).")
        if not user.email_trusted:
            sb.caption("The sign-in provider has not verified this email address, so it "
                       "gives no role beyond viewer.")
        if sb.button("Sign out", icon=":material/logout:", key="sign_out"):
            st.logout()
    return user

"""Roles: who gets which, signed in (by email) or in local mode (by configuration)."""

from __future__ import annotations

import pytest

from anchor.auth import (
    PermissionDenied,
    Role,
    local_user,
    parse_role,
    require,
    role_for_email,
    signed_in_user,
)

ROLES = {
    "admin": ["it.lead@example.nhs.uk"],
    "analyst": ["Finance.Analyst@example.nhs.uk", "@procurement.example.nhs.uk"],
    "viewer": ["board@example.nhs.uk"],
}


@pytest.mark.parametrize("email, role", [
    ("it.lead@example.nhs.uk", Role.ADMIN),
    ("finance.analyst@EXAMPLE.nhs.uk", Role.ANALYST),  # emails compare without case
    ("anyone@procurement.example.nhs.uk", Role.ANALYST),  # a whole domain
    ("board@example.nhs.uk", Role.VIEWER),
    ("stranger@example.com", Role.VIEWER),  # not listed: the default
    ("someone@notprocurement.example.nhs.uk.evil", Role.VIEWER),
    (None, Role.VIEWER),
])
def test_role_for_email(email, role):
    assert role_for_email(email, ROLES) == role


def test_the_default_role_is_configurable():
    assert role_for_email("stranger@example.com", {"default": "analyst"}) == Role.ANALYST
    assert role_for_email("x@example.com", None) == Role.VIEWER


def test_local_mode_takes_its_role_from_configuration(monkeypatch):
    monkeypatch.delenv("ANCHOR_ROLE", raising=False)
    assert local_user().role == Role.ANALYST  # a single-user install on an analyst's machine
    monkeypatch.setenv("ANCHOR_ROLE", "Viewer")
    assert local_user().role == Role.VIEWER
    monkeypatch.setenv("ANCHOR_ROLE", "superuser")
    with pytest.raises(ValueError, match="'superuser' is not a role; use viewer, analyst or admin"):
        local_user()


def test_require():
    require(local_user(), Role.VIEWER, "read")
    with pytest.raises(PermissionDenied, match="Nobody signed in cannot load data"):
        require(None, Role.ANALYST, "load data")
    assert parse_role(" admin ") == Role.ADMIN


@pytest.mark.parametrize("verified, role", [
    (True, Role.ADMIN),
    ("true", Role.ADMIN),  # some providers send the claim as text
    (False, Role.VIEWER),  # an address typed into an account, never confirmed
    ("false", Role.VIEWER),
    (None, Role.VIEWER),  # the provider does not say: not trusted unless the deployment opts in
])
def test_an_email_gives_its_role_only_once_the_provider_has_verified_it(verified, role):
    user = signed_in_user("it.lead@example.nhs.uk", "IT Lead", ROLES, verified)
    assert (user.role, user.mode, user.name) == (role, "signed in", "it.lead@example.nhs.uk")
    assert user.email_trusted == (role == Role.ADMIN)


def test_a_deployment_whose_provider_sends_no_verified_claim_can_trust_its_emails():
    roles = {**ROLES, "accept_missing_email_verified": True}
    assert signed_in_user("anyone@procurement.example.nhs.uk", None, roles).role == Role.ANALYST
    # the opt-in covers a missing claim only: a provider that says 'not verified' still wins
    assert signed_in_user("anyone@procurement.example.nhs.uk", None, roles,
                          False).role == Role.VIEWER
    # even a default of analyst does not reach an unverified email
    assert signed_in_user("x@example.com", None, {"default": "analyst"}, False).role == Role.VIEWER
    assert signed_in_user("x@example.com", None, {"default": "analyst"}, True).role == Role.ANALYST

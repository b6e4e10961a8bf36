#!/usr/bin/env python3
"""Smoke test of the Python client generated from openapi.yaml (see scripts/api-checks.sh).

Logs in with the password grant through the generated client, calls GET /api/v1/me through it
and checks the email and the roles. The generated package must be importable (PYTHONPATH).

Usage: client_smoke.py BASE_URL EMAIL PASSWORD [EXPECTED_ROLE ...]   (default role: admin)
"""

from __future__ import annotations

import importlib
import re
import sys


def fail(msg: str) -> None:
    print(f"client-smoke: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def password_grant_model(models):
    """The generated model of the `password` variant of TokenRequest.

    openapi-python-client names oneOf variants by position (TokenRequestType0, ...): find the
    one whose grant_type enum is `password` rather than depending on the order.
    """
    for name in dir(models):
        m = re.fullmatch(r"(TokenRequestType\d+)GrantType", name)
        if m and any(v.value == "password" for v in getattr(models, name)):
            return getattr(models, m.group(1)), getattr(models, name)
    fail("no TokenRequest variant with grant_type=password in the generated models")


def main() -> None:
    if len(sys.argv) < 4:
        fail(__doc__.strip().splitlines()[-1])
    base_url, email, password = sys.argv[1:4]
    expected_roles = sys.argv[4:] or ["admin"]

    pkg = "sas_client"
    client_mod = importlib.import_module(pkg)
    models = importlib.import_module(f"{pkg}.models")
    auth_token = importlib.import_module(f"{pkg}.api.auth.auth_token")
    me_op = importlib.import_module(f"{pkg}.api.auth.me")
    print(f"client-smoke: imported generated client {pkg} from {client_mod.__file__}")

    request_cls, grant_enum = password_grant_model(models)
    body = request_cls(email=email, password=password, grant_type=grant_enum("password"))
    anon = client_mod.Client(base_url=base_url, raise_on_unexpected_status=True)
    resp = auth_token.sync_detailed(client=anon, body=body)
    if resp.status_code != 200 or not isinstance(resp.parsed, models.TokenResponse):
        fail(f"POST /api/v1/auth/token answered {resp.status_code}: {resp.content[:500]!r}")
    tokens = resp.parsed
    if tokens.token_type.lower() != "bearer" or not tokens.access_token:
        fail(f"unexpected token response: {tokens.to_dict()}")
    print(
        f"client-smoke: POST /api/v1/auth/token ({request_cls.__name__}, grant_type=password) "
        f"-> 200, token_type={tokens.token_type}, expires_in={tokens.expires_in}"
    )

    authed = client_mod.AuthenticatedClient(
        base_url=base_url, token=tokens.access_token, raise_on_unexpected_status=True
    )
    resp = me_op.sync_detailed(client=authed)
    if resp.status_code != 200 or not isinstance(resp.parsed, models.Me):
        fail(f"GET /api/v1/me answered {resp.status_code}: {resp.content[:500]!r}")
    me = resp.parsed
    roles = sorted(str(r) for r in me.roles)
    print(
        f"client-smoke: GET /api/v1/me -> 200, id={me.id}, actor_type={me.actor_type}, "
        f"email={me.email}, roles={roles}"
    )

    if str(me.actor_type) != "user":
        fail(f"actor_type is {me.actor_type!r}, expected 'user'")
    if (me.email or "").lower() != email.lower():
        fail(f"email is {me.email!r}, expected {email!r}")
    missing = [r for r in expected_roles if r not in roles]
    if missing:
        fail(f"roles {roles} lack {missing}")
    print("client-smoke: OK (email and roles as expected)")

    if "prescriber" in expected_roles:
        refer_and_list(pkg, models, authed)


def refer_and_list(pkg, models, authed) -> None:
    """A prescriber refers a young person and finds the referral in its list, through the client."""
    create = importlib.import_module(f"{pkg}.api.referrals.referrals_create")
    listing = importlib.import_module(f"{pkg}.api.referrals.referrals_list")
    body = models.ReferralCreate.from_dict({
        "youth": {
            "first_name": "Client", "last_name": "Généré", "birth_date": "2001-04-02",
            "phone": "06 98 76 54 32", "commune_insee": "69123", "contact_channels": ["phone"],
        },
        "reason_code": "programme_end",
        "needs": [],
        "consent": {
            "informed_at": "2026-01-05T10:00:00Z", "informed_by": "Smoke test",
            "method": "written", "agreed": ["sas_contact"],
        },
    })
    resp = create.sync_detailed(client=authed, body=body, idempotency_key="client-smoke-1")
    if resp.status_code != 201 or not isinstance(resp.parsed, models.Referral):
        fail(f"POST /api/v1/referrals answered {resp.status_code}: {resp.content[:500]!r}")
    created = resp.parsed
    print(f"client-smoke: POST /api/v1/referrals -> 201, id={created.id}, status={created.status}")
    again = create.sync_detailed(client=authed, body=body, idempotency_key="client-smoke-1")
    if again.status_code != 201 or again.parsed.id != created.id:
        fail("a retry with the same Idempotency-Key did not replay the first answer")
    resp = listing.sync_detailed(client=authed, limit=100)
    if resp.status_code != 200 or not any(r.id == created.id for r in resp.parsed.items):
        fail(f"GET /api/v1/referrals answered {resp.status_code} without the new referral")
    print(f"client-smoke: GET /api/v1/referrals -> 200 with the new referral; retry replayed it")


if __name__ == "__main__":
    main()

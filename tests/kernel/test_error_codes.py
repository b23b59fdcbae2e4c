"""Every error has a stable code a client can branch on, the OpenAPI lists them, and services say
which kind of conflict they raise (a bare ``Conflict`` leaves the client with only the message)."""

from __future__ import annotations

import ast
from pathlib import Path

from maritime_hub.app import create_app
from maritime_hub.errors import Conflict, MaritimeHubError, error_codes

ROOT = Path(__file__).resolve().parents[2]


def _classes(base: type) -> list[type]:
    out, todo = [], [base]
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo += cls.__subclasses__()
    return out


def test_each_error_kind_has_its_own_code():
    create_app()  # imports every domain and its errors
    own = [cls for cls in _classes(MaritimeHubError) if "code" in vars(cls)]
    codes = [cls.code for cls in own]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    assert all(c.islower() and " " not in c for c in codes)
    conflicts = {cls.code for cls in _classes(Conflict)}
    for expected in ("illegal_transition", "step_refused", "deadline_passed", "duplicate_identifier", "case_archived"):
        assert expected in conflicts


def test_the_openapi_declares_every_code():
    spec = create_app().openapi()
    schemas = spec["components"]["schemas"]
    declared = set(schemas["Error"]["properties"]["code"]["enum"])
    declared |= set(schemas["ValidationErrorBody"]["properties"]["code"]["enum"])
    assert {c for cs in error_codes().values() for c in cs} <= declared
    assert {"invalid_value", "validation_error"} <= set(schemas["ValidationErrorBody"]["properties"]["code"]["enum"])
    conflict = spec["paths"]["/api/v1/cases/{case_id}/transitions"]["post"]["responses"]["409"]["description"]
    assert "`illegal_transition`" in conflict and "`deadline_passed`" in conflict


def test_services_raise_a_named_kind_of_conflict():
    bare = []
    for package in ("maritime_hub", "vessels", "crew", "mediation"):
        for f in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                    name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
                    if name in ("Conflict", "MaritimeHubError"):
                        bare.append(f"{f.relative_to(ROOT)}:{node.lineno}")
    assert bare == [], "raise a subclass with its own code (maritime_hub/errors.py or the domain's errors.py):\n" + (
        "\n".join(bare)
    )

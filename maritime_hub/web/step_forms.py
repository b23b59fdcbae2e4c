"""The case page's step forms as typed: what a form posted, kept to draw it again open with the
errors beside their inputs (templates/cases/_steps.html), and the itemised obligations of 签订协议
(AGREED) entered as rows, read into the Agreement payload (mediation/cases/payloads.py).

Row inputs are named ``ob{i}_{field}`` and ``ob{i}_in{j}_{field}`` (an instalment of row i); rows
the page's script removed leave gaps, and blank rows are dropped, so the rows are numbered again in
order: the i-th row kept is ``obligations.{i}`` of the payload, which is how the API names its errors
(``obligations.0.amount``) and how the template finds the error of a row's input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mediation.cases.states import State

OBLIGATION_FIELDS = (
    "obligor_party_id",
    "obligee_party_id",
    "what",
    "amount",
    "currency",
    "due_on",
    "place",
    "payee_account",
)
INSTALMENT_FIELDS = ("amount", "due_on")
# A row is blank when none of these is filled: the party selects and the currency come preset.
TYPED = ("what", "amount", "due_on", "place", "payee_account")
_ROW = re.compile(r"^ob(\d{1,3})_([a-z_]+)$")
_INSTALMENT = re.compile(r"^ob(\d{1,3})_in(\d{1,3})_([a-z_]+)$")
MAX_ROWS = 50  # an agreement with more terms is itemised through the API


@dataclass
class StepForm:
    """A step form posted and refused: which one, what was typed, the errors by input (API field
    names: ``grade``, ``obligations.0.amount``; ``form`` for the step as a whole)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str, default: str = "") -> Any:
        return self.values.get(name, default)

    def checked(self, name: str, value: str) -> bool:
        v = self.values.get(name)
        return value in v if isinstance(v, list) else v == value


def typed(form: Any) -> dict[str, Any]:
    """Everything a step form posted, as strings (repeated inputs as lists), but the CSRF token."""
    out: dict[str, Any] = {}
    for key in form.keys():
        if key == "csrf_token":
            continue
        items = [str(v) for v in form.getlist(key) if isinstance(v, str)]
        out[key] = items if len(items) > 1 else (items[0] if items else "")
    return out


def obligation_rows(form: Any) -> list[dict[str, Any]]:
    """The obligation rows as typed, in order, blank rows dropped."""
    rows: dict[int, dict[str, Any]] = {}
    for key in form.keys():
        if m := _INSTALMENT.match(key):
            i, j, name = int(m[1]), int(m[2]), m[3]
            if name in INSTALMENT_FIELDS:
                parts = rows.setdefault(i, {}).setdefault("_in", {})
                parts.setdefault(j, {})[name] = str(form.get(key, "")).strip()
        elif (m := _ROW.match(key)) and m[2] in OBLIGATION_FIELDS:
            rows.setdefault(int(m[1]), {})[m[2]] = str(form.get(key, "")).strip()
    out = []
    for i in sorted(rows)[:MAX_ROWS]:
        row = rows[i]
        parts = [p for _, p in sorted(row.pop("_in", {}).items()) if any(p.values())]
        if not parts and not any(row.get(k) for k in TYPED):
            continue
        out.append(row | {"instalments": parts})
    return out


def obligations_payload(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as ObligationIn bodies: empty inputs are 'not given', CNY unless another currency."""
    out = []
    for row in rows:
        body = {k: v for k, v in row.items() if k != "instalments" and v}
        body.setdefault("currency", "CNY")
        if row["instalments"]:
            body["instalments"] = [{k: v for k, v in p.items() if v} for p in row["instalments"]]
        out.append(body)
    return out


def input_field(api_field: str | None) -> str:
    """Where a service's error belongs on a step form: the step itself (``to``) is the form."""
    return "form" if api_field in (None, "", "to", "payload") else api_field


def step_key(source: State, target: State) -> str:
    """The form of a step on the case page: the target, or the skip of 实地调查 (ACCEPTED → MEDIATING)."""
    return "SKIP_INVESTIGATION" if (source, target) == (State.ACCEPTED, State.MEDIATING) else target.value

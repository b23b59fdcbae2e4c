"""Every message template marked with ``N_`` in maritime_hub/, mediation/, crew/ and vessels/ (errors raised by
services, refusal reasons of the case workflow, labels) has a Chinese translation, and the
translation keeps the template's ``{placeholders}`` exactly (docs/architecture.md "i18n/errors")."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "maritime_hub" / "i18n" / "zh_CN" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)\}")


def marked() -> dict[str, str]:
    """msgid → where it is first marked, extracted from the source on the fly (Babel, as babel.cfg)."""
    out: dict[str, str] = {}
    for package in ("maritime_hub", "mediation", "crew", "vessels"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT / package), method_map=[("**.py", "python")], keywords={"N_": None}
        ):
            if isinstance(message, str) and message:
                out.setdefault(message, f"{package}/{filename}:{lineno}")
    return out


def catalogue() -> dict[str, str]:
    with PO.open("rb") as f:
        return {m.id: m.string for m in read_po(f, locale="zh_CN") if m.id and isinstance(m.id, str)}


def test_every_marked_message_has_a_chinese_translation():
    zh = catalogue()
    missing = [f"{where}: {msgid!r}" for msgid, where in marked().items() if not zh.get(msgid)]
    assert missing == [], "add these to messages.po:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders():
    zh = catalogue()
    bad = [
        f"{where}: {msgid!r} → {zh[msgid]!r}"
        for msgid, where in marked().items()
        if zh.get(msgid) and sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(zh[msgid]))
    ]
    assert bad == []


def test_the_check_finds_the_workflow_messages():
    # Guards the extraction itself: a broken keyword map would make the tests above pass vacuously.
    found = marked()
    assert "a case in {state} cannot go to {target}; from here it can go to: {options}" in found
    assert any("CPL 205" in m for m in found)


def test_make_i18n_would_keep_every_translation(tmp_path):
    """`make i18n` extracts with the Makefile's keywords and drops catalogue entries it did not
    extract: every hand-made translation must be found in the source by those keywords."""
    import shlex
    import subprocess
    import sys

    line = next(ln for ln in (ROOT / "Makefile").read_text().splitlines() if "pybabel extract" in ln)
    args = shlex.split(line.split("pybabel", 1)[1])
    args[args.index("-o") + 1] = str(tmp_path / "messages.pot")
    done = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    with (tmp_path / "messages.pot").open("rb") as f:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    dropped = sorted(set(catalogue()) - extracted)
    assert dropped == [], f"used through a function make i18n does not know (add it as -k): {dropped}"

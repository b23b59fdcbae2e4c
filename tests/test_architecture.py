"""Imports flow one way (architecture.md): the kernel imports no domain; vessels and crew import
only the kernel; mediation may import vessels/crew; only app/api/web/cli/demo import everything."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = {"vessels", "crew", "mediation"}
KERNEL_FREE = {
    "db",
    "config",
    "errors",
    "auth",
    "audit",
    "realtime",
    "jobs",
    "documents",
    "orgs",
    "files",
    "notify",
    "catalogues",
    "types",
    "middleware",
    "openapi",
}
# What each top-level package may import besides the kernel and third-party code.
ALLOWED = {"vessels": set(), "crew": {"vessels.validation"}, "mediation": {"vessels", "crew"}}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


def _py(package: str):
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


def test_kernel_imports_no_domain():
    bad = []
    for sub in KERNEL_FREE:
        base = ROOT / "maritime_hub" / sub
        files = list(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]
        for f in files:
            if not f.exists():
                continue
            for mod in _imports(f):
                if mod.split(".")[0] in DOMAINS:
                    bad.append(f"{f.relative_to(ROOT)} imports {mod}")
    assert bad == []


def test_domains_import_only_the_kernel_and_what_they_may():
    bad = []
    for domain, allowed in ALLOWED.items():
        for f in _py(domain):
            for mod in _imports(f):
                top = mod.split(".")[0]
                if top in DOMAINS and top != domain and not any(mod == a or mod.startswith(a + ".") for a in allowed):
                    bad.append(f"{f.relative_to(ROOT)} imports {mod}")
                if mod.startswith(
                    (
                        "maritime_hub.web",
                        "maritime_hub.api",
                        "maritime_hub.app",
                        "maritime_hub.cli",
                        "maritime_hub.wiring",
                    )
                ):
                    bad.append(f"{f.relative_to(ROOT)} imports the composition root ({mod})")
    assert bad == []


def test_services_never_commit():
    offenders = [
        str(f.relative_to(ROOT))
        for pkg in ("vessels", "crew", "mediation", "maritime_hub")
        for f in _py(pkg)
        if f.name == "service.py" and ".commit()" in f.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_modules_stay_small():
    # 600 lines as `ruff format` lays them out (about 450 of the hand-wrapped lines the limit was set on).
    big = [
        f"{f.relative_to(ROOT)}: {n}"
        for pkg in ("vessels", "crew", "mediation", "maritime_hub")
        for f in _py(pkg)
        if (n := len(f.read_text(encoding="utf-8").splitlines())) > 600
    ]
    assert big == []


def test_schemas_are_bounded_by_the_shared_base():
    """Every pydantic schema derives from maritime_hub.types.Schema, which refuses a NUL in any text
    field (PostgreSQL cannot store one): a schema on plain BaseModel would let it through to a 500."""
    bad = []
    for package in ("maritime_hub", *sorted(DOMAINS)):
        for f in _py(package):
            if f.name == "config.py" or f.parent.name == "tests":
                continue
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and node.name != "Schema":
                    bases = [getattr(b, "id", getattr(b, "attr", "")) for b in node.bases]
                    if "BaseModel" in bases:
                        bad.append(f"{f.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert bad == [], "derive from maritime_hub.types.Schema:\n" + "\n".join(bad)


def test_cross_domain_hooks_exist_only_once_installed():
    """No hook by the side effect of an import: importing the lifecycle, or even the dispatch
    service, installs nothing; `wiring.install()` does, and `create_app()` and every `mh` command call it."""
    import subprocess
    import sys

    code = (
        "import mediation.cases.workflow, mediation.dispatch.service, mediation.followup.service\n"
        "from mediation.cases import hooks\n"
        "assert hooks.dispatch_hooks() == (), hooks.dispatch_hooks()\n"
        "assert hooks._FOLLOWUP == []\n"
        "from maritime_hub.app import create_app\n"
        "from sqlalchemy import create_engine\n"
        "create_app(create_engine('postgresql+psycopg://nobody@localhost/none'))\n"
        "from maritime_hub import wiring\n"
        "print(wiring.installed())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['dispatch', 'followup']"


def test_pages_run_no_queries_of_their_own():
    """Pages follow the API's rules: queries live in repositories, so a page handler declares auth,
    calls a domain presenter, repository or service, and renders."""
    forbidden = ("select(", "session.execute", "session.scalars", "session.scalar(", "session.get(", ".query(")
    bad = [
        f"{f.relative_to(ROOT)}:{n}: {line.strip()}"
        for f in (ROOT / "maritime_hub" / "web").rglob("*.py")
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if any(x in line for x in forbidden)
    ]
    assert bad == []


def test_page_modules_do_not_import_each_other_in_a_cycle():
    """web/case_page.py holds what the case pages share; the case and evidence page modules import
    it, never each other, and the registry pages import no case page module."""
    web = ROOT / "maritime_hub" / "web"
    imports = {
        f.stem: set(_imports(f))
        | {
            f"maritime_hub.web.{a.name}"
            for node in ast.walk(ast.parse(f.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module == "maritime_hub.web"
            for a in node.names
        }
        for f in web.glob("*.py")
    }
    page_modules = {"maritime_hub.web.cases", "maritime_hub.web.cases_evidence"}
    assert not imports["case_page"] & (page_modules | {"maritime_hub.web.case_page"})
    assert "maritime_hub.web.cases" not in imports["cases_evidence"]
    assert "maritime_hub.web.cases_evidence" not in imports["cases"]
    for registry in ("crew", "vessels"):
        assert not imports[registry] & page_modules, registry


def test_access_aliases_live_in_each_domains_auth_module():
    """`Reader = Annotated[Principal, Depends(require(...))]` was defined a dozen times with different
    role sets; each domain now names its access rules once, in its auth.py, for endpoints and pages."""
    bad = [
        f"{f.relative_to(ROOT)}:{n}"
        for pkg in ("maritime_hub", *sorted(DOMAINS))
        for f in _py(pkg)
        if f.name != "auth.py" and f.parent.name != "auth"
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith(tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) and "Annotated[Principal" in line and "require(" in line
    ]
    assert bad == []


# Imports inside functions hide a module's dependencies and, between first-party modules, usually a
# cycle. Allowed only where the reason is written down here.
LAZY_IMPORTS_ALLOWED = {
    # `mh` answers --help and the fast commands without importing the app, the AIS stack or the
    # domains (start-up time of every CLI call, the worker's supervisor included).
    "maritime_hub/cli.py",
    "vessels/ais/cli.py",
    "vessels/ais/cli_db.py",
}


def test_no_first_party_imports_inside_functions():
    found = []
    for pkg in ("maritime_hub", "vessels", "crew", "mediation"):
        for f in _py(pkg):
            rel = str(f.relative_to(ROOT))
            if rel in LAZY_IMPORTS_ALLOWED or "migrations" in f.parts:
                continue
            for fn in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for node in ast.walk(fn):
                    if isinstance(node, ast.ImportFrom) and node.module:
                        name = node.module
                    elif isinstance(node, ast.Import):
                        name = node.names[0].name
                    else:
                        continue
                    if name.split(".")[0] in ("maritime_hub", "vessels", "crew", "mediation"):
                        found.append(f"{rel}:{node.lineno} {name}")
    assert found == [], "import at the top of the module (a cycle? a hook in mediation/cases/hooks.py):\n" + (
        "\n".join(found)
    )

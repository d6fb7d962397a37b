"""core knows no domain app: nothing under core/ imports another package of the project but config.

Apps depend on core, never the other way round; where core must reach a domain model it asks the app
registry by name (`apps.get_model("organizations", "Organization")`), which is not an import.
"""

import ast
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
CORE = BASE / "core"
ALLOWED = {"core", "config"}


def project_packages() -> set[str]:
    """The project's top-level packages: every folder beside manage.py with an __init__.py."""
    return {path.parent.name for path in BASE.glob("*/__init__.py")}


def domain_imports(source: str, forbidden: set[str]) -> list[tuple[int, str]]:
    """(line, module) for each import of a forbidden package, at any depth, also through import_module("…")."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] in forbidden]
    return found


def test_the_checker_sees_every_form_of_import():
    source = (
        "import elevators\n"
        "from organizations.models import Region\n"
        "from . import audit\n"
        "from django.apps import apps\n"
        "def f():\n"
        "    from accounts import services\n"
        "    import_module('imports.registry')\n"
        "    apps.get_model('elevators', 'Elevator')\n"
    )
    forbidden = {"elevators", "organizations", "accounts", "imports"}
    assert domain_imports(source, forbidden) == [
        (1, "elevators"),
        (2, "organizations.models"),
        (6, "accounts"),
        (7, "imports.registry"),
    ]


def test_core_imports_no_domain_app():
    forbidden = project_packages() - ALLOWED
    assert {"accounts", "organizations", "elevators", "imports", "portal"} <= forbidden
    offenders = [
        f"{path.relative_to(BASE)}:{line} imports {module}"
        for path in sorted(CORE.rglob("*.py"))
        for line, module in domain_imports(path.read_text(encoding="utf-8"), forbidden)
    ]
    assert not offenders, offenders

"""The architecture as a test: which app may import which, and one place that moves a version on."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = {"core", "members", "actionplan", "reports", "portal", "secretariat", "seeding", "eccar_portal"}
DOMAIN = ("members", "actionplan", "reports")


def python_files(*folders: str, tests: bool = True):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts or (not tests and "tests" in path.parts):
                continue
            yield path


def imported_apps(path: Path) -> set[str]:
    """Every project app `path` imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found & APPS


def test_it_keeps_core_free_of_every_app():
    offenders = {str(p.relative_to(ROOT)): imported_apps(p) - {"core"} for p in python_files("core", tests=False)}
    assert {path: apps for path, apps in offenders.items() if apps} == {}


def test_it_keeps_the_domain_apps_below_the_portal_the_secretariat_and_the_seed_tooling():
    offenders = {
        str(p.relative_to(ROOT)): imported_apps(p) & {"portal", "secretariat", "seeding"} for p in python_files(*DOMAIN, "core")
    }
    assert {path: apps for path, apps in offenders.items() if apps} == {}


def test_it_moves_versions_on_in_one_module_only():
    bump = re.compile(r"version\s*\+=|F\(\s*[\"']version[\"']\s*\)\s*\+")
    places = [
        str(p.relative_to(ROOT))
        for p in python_files(*sorted(APPS), tests=False)
        if bump.search(p.read_text())
    ]
    assert places == ["core/versioning.py"]


def test_it_defines_one_edit_conflict():
    definition = re.compile(r"^class EditConflict\b", re.MULTILINE)
    definitions = [str(p.relative_to(ROOT)) for p in python_files(*APPS) if definition.search(p.read_text())]
    assert definitions == ["core/versioning.py"]

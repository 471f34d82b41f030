"""The house rules: one import name, rooms imported in one direction only, and pure readers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: each room's rank; a module may import from a lower rank only (its own room, too)
RANKS = {
    "eventscout.scrapers": 0,
    "eventscout.flows.paths": 1,
    "eventscout.flows.problems": 1,
    "eventscout.flows.knowledge": 2,
    "eventscout.flows.config": 3,
    "eventscout.flows.store": 3,
    "eventscout.flows.reading": 4,
    "eventscout.flows.publishing": 5,
    "eventscout.flows.orchestration": 6,
    "eventscout.flows.onboarding": 7,
    "eventscout.flows.web": 7,
    "eventscout.flows.cli": 8,
}
#: what a pure reader must never import
IMPURE = ("eventscout.flows", "prefect", "httpx", "httpcore", "sqlite3", "starlette", "uvicorn", "socket",
          "asyncio", "requests", "urllib.request")


def room_of(module: str) -> str | None:
    return max((room for room in RANKS if module == room or module.startswith(room + ".")), key=len, default=None)


def module_name(path: Path) -> str:
    folder, rel = ("scrapers", path.relative_to(REPO / "scrapers")) if path.is_relative_to(REPO / "scrapers") \
        else ("flows", path.relative_to(REPO / "flows"))
    parts = [p for p in rel.with_suffix("").parts if p != "__init__"]
    return ".".join(["eventscout", folder, *parts])


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def against_the_rooms(paths: list[Path]) -> list[str]:
    wrong = []
    for path in paths:
        here = room_of(module_name(path))
        for line, target in imports(path):
            there = room_of(target)
            if here is None or there is None or there == here:
                continue
            if RANKS[there] >= RANKS[here]:
                wrong.append(f"{path.relative_to(REPO)}:{line} ({here}) imports {target} ({there})")
    return sorted(set(wrong))


def sources() -> list[Path]:
    return sorted([*(REPO / "flows").rglob("*.py"), *(REPO / "scrapers").rglob("*.py")])


def test_no_module_imports_against_the_direction_of_the_rooms():
    assert against_the_rooms(sources()) == []


def test_the_room_check_catches_an_import_against_the_direction():
    wrong = REPO / "flows" / "knowledge" / "_upward_import_probe.py"
    wrong.write_text("from eventscout.flows.web.server import build_app\n")
    try:
        assert against_the_rooms([wrong]) == [
            "flows/knowledge/_upward_import_probe.py:1 (eventscout.flows.knowledge) imports "
            "eventscout.flows.web.server (eventscout.flows.web)",
            "flows/knowledge/_upward_import_probe.py:1 (eventscout.flows.knowledge) imports "
            "eventscout.flows.web.server.build_app (eventscout.flows.web)"]
    finally:
        wrong.unlink()


def test_every_module_belongs_to_a_room():
    assert [str(p.relative_to(REPO)) for p in sources()
            if room_of(module_name(p)) is None and p != REPO / "flows" / "__init__.py"] == []


def test_the_readers_import_nothing_with_io_or_orchestration():
    bad = [f"{p.relative_to(REPO)}:{line} imports {target}"
           for p in sorted((REPO / "scrapers").rglob("*.py")) for line, target in imports(p)
           if any(target == name or target.startswith(name + ".") for name in IMPURE)]
    assert bad == []


def test_importing_the_readers_loads_no_io_or_orchestration_module():
    code = ("import sys, eventscout.scrapers as s; s.extract(b'<p>x</p>', url='https://example.org/');"
            "print('\\n'.join(sys.modules))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                cwd="/").stdout.split())
    assert sorted(m for m in loaded if m.split(".")[0] in {"prefect", "httpx", "sqlite3", "starlette", "uvicorn"}
                  or m.startswith("eventscout.flows")) == []


@pytest.mark.slow
def test_the_distribution_installs_one_top_level_name_only(tmp_path):
    """A wheel built from this tree holds `eventscout/` and its metadata, nothing else at the top."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    import zipfile

    (wheel,) = tmp_path.glob("eventscout-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"eventscout"}
    assert "eventscout/flows/knowledge/vocabulary.yaml" in names
    assert "eventscout/flows/web/assets/index.html" in names
    top_level = [n for n in names if n.endswith("top_level.txt")]
    assert not top_level or zipfile.ZipFile(wheel).read(top_level[0]).split() == [b"eventscout"]


@pytest.mark.slow
def test_the_command_works_from_a_folder_with_its_own_flows_and_scrapers_packages(tmp_path):
    """A user's Prefect project often has its own `flows/`: eventscout's names must not collide with it."""
    for name in ("flows", "scrapers"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("raise ImportError('the user project’s own package')\n")
    page = tmp_path / "page.html"
    page.write_text('<script type="application/ld+json">{"@context":"https://schema.org","@type":"Event",'
                    '"name":"Chapter mixer","startDate":"2031-05-01T18:00:00-04:00",'
                    '"location":{"@type":"Place","name":"Hall","address":"1 Main St, Atlanta, GA"}}</script>')
    args = ["extract", str(page), "--base-url", "https://example.org/"]
    # the console script, and `python -m` with the folder first on sys.path
    for command in ([str(Path(sys.executable).with_name("eventscout")), *args],
                    [sys.executable, "-m", "eventscout.flows.cli", *args]):
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "Chapter mixer" in done.stdout

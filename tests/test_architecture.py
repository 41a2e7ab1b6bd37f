"""The layers and the import graph, read from the source (no module is imported):
planner_app -> ui -> data -> wellbeing -> scheduling, arrows down only; the pure domain
never touches Streamlit, the database or the environment; no import cycles; no private
name imported from another module. Each failure lists every offender, file and line."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("scheduling", "wellbeing", "data", "ui")
ENTRY = "planner_app"
LAYER = {"scheduling": 0, "wellbeing": 1, "data": 2, "ui": 3, ENTRY: 4}
# Third-party packages a layer must not import.
FORBIDDEN = {
    "scheduling": ("streamlit", "sqlmodel", "sqlalchemy", "alembic"),
    "wellbeing": ("streamlit", "sqlmodel", "sqlalchemy", "alembic"),
    "data": ("streamlit",),
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    path: Path
    line: int
    target: str  # the absolute dotted name imported (a module, or module.name)
    names: tuple[str, ...]  # for `from target import a, b`


def project_modules(root: Path = REPO) -> dict[str, Path]:
    modules = {ENTRY: root / f"{ENTRY}.py"}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            dotted = ".".join(path.relative_to(root).with_suffix("").parts)
            modules[dotted.removesuffix(".__init__")] = path
    return modules


def imports_of(module: str, path: Path) -> Iterator[Import]:
    """Every import in the file, at module level or inside functions alike."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, path, node.lineno, alias.name, ())
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            yield Import(module, path, node.lineno, base, tuple(a.name for a in node.names))


def all_imports(root: Path = REPO) -> list[Import]:
    return [imp for m, p in project_modules(root).items() for imp in imports_of(m, p)]


def top(name: str) -> str:
    return name.split(".", 1)[0]


def where(imp: Import, root: Path = REPO) -> str:
    return f"{imp.path.relative_to(root)}:{imp.line}"


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module a dotted name lives in (the longest known prefix)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def layer_offences(root: Path = REPO) -> list[str]:
    out = []
    for imp in all_imports(root):
        here, there = top(imp.module), top(imp.target)
        if there in LAYER and LAYER[there] > LAYER[here]:
            out.append(f"{where(imp, root)}: {imp.module} ({here}) imports {imp.target} ({there})")
        if there in FORBIDDEN.get(here, ()):
            out.append(f"{where(imp, root)}: {imp.module} ({here}) imports {there}")
    return out


# A package's process entry point (`python -m scheduling`) stands where planner_app.py stands
# for the app: it reads the environment once and passes it down as arguments.
PROCESS_ENTRY_POINTS = frozenset({"scheduling.__main__"})


def environment_reads(root: Path = REPO) -> list[str]:
    """The pure domain takes its settings as arguments; it never reads os.environ."""
    out = []
    for module, path in project_modules(root).items():
        if top(module) not in ("scheduling", "wellbeing") or module in PROCESS_ENTRY_POINTS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
                out.append(f"{path.relative_to(root)}:{node.lineno}: {module} reads os.{node.attr}")
    return out


def import_graph(root: Path = REPO) -> dict[str, set[str]]:
    """module -> the project modules its imports run. `from a.b import c` runs a.b, and a.b.c
    when that is a module. A module's own enclosing packages are left out: they always run
    first, and a package re-exporting its modules is not a cycle."""
    modules = project_modules(root)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for imp in all_imports(root):
        for name in (imp.target, *(f"{imp.target}.{n}" for n in imp.names)):
            found = resolve(name, modules)
            if found and found != imp.module and not imp.module.startswith(found + "."):
                graph[imp.module].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = []
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        work.append((start, iter(sorted(graph[start]))))
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


SESSION_NAMES = {
    "data.db": ("session_scope",),
    "sqlmodel": ("Session",),
    "sqlalchemy.orm": ("Session", "sessionmaker"),
}


def sessions_in_ui(root: Path = REPO) -> list[str]:
    """ui/ calls actions that own their session (data/services); it never holds one."""
    out = []
    for imp in all_imports(root):
        if top(imp.module) != "ui":
            continue
        held = [n for n in imp.names if n in SESSION_NAMES.get(imp.target, ())]
        if held or imp.target in ("sqlalchemy.orm", "sqlmodel.orm.session"):
            names = ", ".join(held) or imp.target
            out.append(f"{where(imp, root)}: {imp.module} imports {names}")
    return out


def _is_cached(fn: ast.FunctionDef) -> bool:
    return any("cache_data" in ast.unparse(d) or "cache_resource" in ast.unparse(d)
               for d in fn.decorator_list)  # fmt: skip


def cached_reads_shared_across_users(root: Path = REPO) -> list[str]:
    """A page's cached call to a data action that checks who acts (`actor=`) must take the
    acting user as one of the cache's keys: otherwise one person's cached answer is served to
    another without the data layer's check."""
    out = []
    for module, path in project_modules(root).items():
        if top(module) != "ui":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef) or not _is_cached(fn):
                continue
            keyed = {a.arg for a in fn.args.args if not a.arg.startswith("_")}
            for call in ast.walk(fn):
                if not isinstance(call, ast.Call):
                    continue
                for kw in call.keywords:
                    if kw.arg == "actor" and not (
                        isinstance(kw.value, ast.Name) and kw.value.id in keyed
                    ):
                        rel = path.relative_to(root).as_posix()
                        given = ast.unparse(kw.value)
                        out.append(
                            f"{rel}:{call.lineno}: {fn.name} passes actor={given}, "
                            "not one of its cache keys"
                        )
    return out


def private_imports(root: Path = REPO) -> list[str]:
    modules = project_modules(root)
    out = []
    for imp in all_imports(root):
        if resolve(imp.target, modules) is None:
            continue  # third-party: not ours to judge
        private = [n for n in imp.names if n.startswith("_") and not n.startswith("__")]
        if top(imp.target) in LAYER and private and imp.target != imp.module:
            out.append(f"{where(imp, root)}: {imp.module} imports {', '.join(private)} "
                       f"from {imp.target}")  # fmt: skip
    return out


def _fail_listing(title: str, offenders: list[str]) -> None:
    if offenders:
        pytest.fail(f"{title}:\n  " + "\n  ".join(offenders), pytrace=False)


def test_layers_point_down_and_the_domain_stays_pure() -> None:
    _fail_listing(
        "imports against the layers (planner_app -> ui -> data -> wellbeing -> scheduling; "
        "scheduling and wellbeing never import streamlit/sqlmodel/sqlalchemy/alembic, data "
        "never imports streamlit)",
        layer_offences(),
    )


def test_the_domain_reads_no_environment_variables() -> None:
    _fail_listing("environment read in the pure domain", environment_reads())


def test_pages_hold_no_database_session() -> None:
    _fail_listing("sessions opened in ui/ (call a data.services action)", sessions_in_ui())


def test_a_cached_read_is_kept_per_user() -> None:
    _fail_listing(
        "cached data reads shared between users (take the username as an argument)",
        cached_reads_shared_across_users(),
    )


def test_no_import_cycles() -> None:
    _fail_listing("import cycles", [" <-> ".join(c) for c in cycles(import_graph())])


def test_no_private_name_is_imported_from_another_module() -> None:
    _fail_listing("private names imported across modules", private_imports())


def test_the_checks_see_what_they_guard(tmp_path: Path) -> None:
    """On a made-up tree holding one of each offence, every check names it."""
    files = {
        "planner_app.py": "",
        "scheduling/__init__.py": "",
        "scheduling/a.py": "import streamlit\nfrom scheduling.b import _hidden\nimport os\n"
        "x = os.environ['X']\n",
        "scheduling/b.py": "def f():\n    from . import a\n",
        "scheduling/__main__.py": "import os\nmain(env=os.environ)\n",
        "wellbeing/__main__.py": "import os\nx = os.getenv('X')\n",
        "wellbeing/__init__.py": "",
        "data/__init__.py": "",
        "data/repo.py": "from ui.page import thing\n",
        "ui/__init__.py": "",
        "ui/page.py": "from data.repo import thing\nfrom data.db import url, session_scope\n",
        "ui/cached.py": "import streamlit as st\n@st.cache_data\ndef load(site_id):\n"
        "    return read(site_id=site_id, actor=user.username)\n"
        "@st.cache_data(ttl=5)\ndef mine(site_id, username):\n"
        "    return read(site_id=site_id, actor=username)\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    layers = layer_offences(tmp_path)
    assert "scheduling/a.py:1: scheduling.a (scheduling) imports streamlit" in layers
    assert "data/repo.py:1: data.repo (data) imports ui.page (ui)" in layers
    assert len(layers) == 2
    assert environment_reads(tmp_path) == [
        "scheduling/a.py:4: scheduling.a reads os.environ",
        "wellbeing/__main__.py:2: wellbeing.__main__ reads os.getenv",
    ]
    assert sorted(cycles(import_graph(tmp_path))) == [
        ["data.repo", "ui.page"],
        ["scheduling.a", "scheduling.b"],
    ]
    assert sessions_in_ui(tmp_path) == ["ui/page.py:2: ui.page imports session_scope"]
    assert cached_reads_shared_across_users(tmp_path) == [
        "ui/cached.py:4: load passes actor=user.username, not one of its cache keys"
    ]
    assert private_imports(tmp_path) == [
        "scheduling/a.py:2: scheduling.a imports _hidden from scheduling.b"
    ]

"""The layout the README promises, read from the source (ast), so it cannot drift unseen:
no import cycle between modules, each third-party stack in its own room, short product functions."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PRODUCT_PACKAGES = ("newsetl", "spiders", "flows", "transforms", "warehouse", "mirror")
MAX_FUNCTION_LINES = 60

# Which packages may import each library (by its top-level name). The mirror is a plain http.server site
# that Scrapy crawls; it never imports Scrapy itself, so Scrapy stays in spiders/ alone.
ROOMS: dict[str, tuple[str, ...]] = {
    "duckdb": ("warehouse",),
    "pyarrow": ("warehouse",),
    "prefect": ("flows",),
    "prefect_dask": ("flows",),
    "dask": ("flows",),
    "distributed": ("flows",),
    "scrapy": ("spiders",),
    "scrapy_redis": ("spiders",),
    "twisted": ("spiders",),
    "redis": ("spiders",),
}
# transforms/ is pure: functions over records. No network, processes, databases or orchestration.
TRANSFORMS_BANNED = frozenset(
    {"socket", "subprocess", "http", "urllib.request", "requests", "sqlite3", "shutil", "tempfile"}
)

# Exceptions to the rules below: none (the thin flow and the split entity tagger emptied them). Kept as the one
# visible place an exception would have to be argued for.
ALLOWED_IMPORTS: frozenset[tuple[str, str]] = frozenset()
ALLOWED_ROOM_BREAKS: frozenset[str] = frozenset()
ALLOWED_LONG_FUNCTIONS: frozenset[str] = frozenset()


@dataclass(slots=True)
class Module:
    name: str
    path: Path
    tree: ast.Module
    imports: set[str] = field(default_factory=set)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _product_files() -> Iterator[Path]:
    for package in PRODUCT_PACKAGES:
        yield from sorted((REPO / package).rglob("*.py"))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(tree: ast.AST, package: str) -> Iterator[str]:
    """Every module an import statement names, lazy imports inside functions included (a cycle kept alive by
    a function-level import is still a cycle); imports only a type checker sees are left out."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (name for child in node.orelse for name in _imported_names(child, package))
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        yield from _imported_names(node, package)


def _modules() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in _product_files():
        name = _module_name(path)
        modules[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    for module in modules.values():
        package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
        module.imports = set(_imported_names(module.tree, package))
    return modules


def _product_edges(modules: dict[str, Module]) -> dict[str, set[str]]:
    """module -> the product modules it imports (`from a import b` counts a.b when b is a module)."""
    return {
        name: {target for target in module.imports if target in modules and (name, target) not in ALLOWED_IMPORTS}
        - {name}
        for name, module in modules.items()
    }


def _cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_no_import_cycle_between_modules() -> None:
    cycles = _cycles(_product_edges(_modules()))
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(sorted(cycle)) for cycle in cycles)


def test_cycle_finder_sees_a_lazy_cycle() -> None:
    tree = ast.parse("def f():\n    from b import thing\n")
    assert "b.thing" in set(_imported_names(tree, "a"))
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset({"a", "b", "c"})]


def _room_violations(module: Module) -> Iterator[str]:
    room = module.name.split(".")[0]
    # One line per library (`from a.b import c` names a.b and a.b.c: both are library a).
    for top in sorted({name.split(".")[0] for name in module.imports}):
        allowed = ROOMS.get(top)
        if allowed is not None and room not in allowed:
            yield f"{module.name} imports {top} (allowed only in {', '.join(allowed)}/)"
        if room == "transforms" and top in ("spiders", "flows", "warehouse", "newsetl", "mirror"):
            yield f"{module.name} imports {top} (transforms/ sits below every other room)"
    if room == "transforms":
        for name in sorted(module.imports):
            if name in TRANSFORMS_BANNED or name.split(".")[0] in TRANSFORMS_BANNED:
                yield f"{module.name} imports {name} (transforms/ is pure: no I/O)"


def test_room_rules_see_a_transform_that_reaches_out() -> None:
    source = "import duckdb\nfrom urllib.request import urlopen\nfrom urllib.parse import urljoin\n"
    source += "def later():\n    from prefect.schedules import Cron\n    import flows.pipeline\n"
    module = Module("transforms.bad", REPO / "transforms" / "bad.py", ast.parse(source))
    module.imports = set(_imported_names(module.tree, "transforms"))
    assert [line.split(" (")[0] for line in _room_violations(module)] == [
        "transforms.bad imports duckdb",
        "transforms.bad imports flows",
        "transforms.bad imports prefect",
        "transforms.bad imports urllib.request",
    ]


def test_every_import_stays_in_its_room() -> None:
    violations = [
        line
        for module in _modules().values()
        if module.name not in ALLOWED_ROOM_BREAKS
        for line in _room_violations(module)
    ]
    assert not violations, "\n".join(violations)


def _long_functions(module: Module) -> Iterator[tuple[str, int]]:
    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                length = (child.end_lineno or child.lineno) - child.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    yield name, length
                yield from walk(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")

    yield from walk(module.tree, f"{module.name}:")


def test_product_functions_are_short() -> None:
    long = [
        f"{name} has {length} lines"
        for module in _modules().values()
        for name, length in _long_functions(module)
        if name not in ALLOWED_LONG_FUNCTIONS
    ]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(long)


def test_readme_layout_table_matches_the_tree() -> None:
    """Every top-level folder with Python in it has its row, and every file a row names exists."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Layout\n", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `(\w+)/` \| (.*) \|$", table, flags=re.MULTILINE))
    folders = {path.parent.name for path in REPO.glob("*/*.py")} - {".venv"}
    assert sorted(folders - set(rows)) == [], "folders without a row in the README's layout table"
    assert sorted(set(rows) - folders) == [], "rows for folders that are not in the tree"
    missing = [
        f"{folder}/{name}"
        for folder, text in rows.items()
        for name in re.findall(r"`([\w/]+\.py)`", text)
        if not (REPO / folder / name).exists() and not (REPO / name).exists()
    ]
    assert not missing, f"the layout table names files that do not exist: {missing}"

"""The queries the pages ask through the cache are registered where they are defined: every
function a page or the app's code hands to `query(...)` or `shapes(...)` is in the registry,
and the registry has one function for each name."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from anchor import queries
from anchor.queries import all_registered, query_name

ROOT = Path(__file__).resolve().parents[2]
QUERIES_DIR = ROOT / "anchor" / "queries"


def _sources() -> list[Path]:
    """The app's frame, its pages and every module of the package but the queries themselves."""
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    files += [p for p in sorted((ROOT / "anchor").rglob("*.py")) if QUERIES_DIR not in p.parents]
    return files


def _query_aliases(tree: ast.Module) -> tuple[dict[str, str], dict[str, str]]:
    """Names bound by the file's imports: to a query module, and to a query function."""
    modules, functions = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "anchor.queries":
            for a in node.names:
                modules[a.asname or a.name] = f"anchor.queries.{a.name}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("anchor.queries."):
            for a in node.names:
                functions[a.asname or a.name] = f"{node.module}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("anchor.queries.") and a.asname:
                    modules[a.asname] = a.name
    return modules, functions


def _called_name(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def passed_queries(files: list[Path] | None = None) -> list[tuple[str, int, str]]:
    """(file, line, query name) of every `query(fn, ...)` / `shapes(fn, ...)` (a plain call or
    a method, `src.query(...)`) in `files` (else `_sources()`) whose `fn` is a function of
    `anchor.queries`."""
    found = []
    for path in files or _sources():
        tree = ast.parse(path.read_text(), str(path))
        modules, functions = _query_aliases(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _called_name(node) in ("query", "shapes")
                    and node.args):
                continue
            fn = node.args[0]
            name = None
            if (isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name)
                    and fn.value.id in modules):
                name = f"{modules[fn.value.id]}.{fn.attr}"
            elif isinstance(fn, ast.Name) and fn.id in functions:
                name = functions[fn.id]
            if name:
                found.append((path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT)
                              else path.name, node.lineno, name))
    return found


def test_every_query_the_pages_pass_is_registered():
    registry = all_registered()
    found = passed_queries()
    # the scan reads what it should: the pages' calls, aliased modules and method calls among
    # them (the Local spend page's queries are asked by its view, through its selection)
    assert ROOT / "pages" / "local_spend.py" in _sources()
    assert ("anchor/views/local_spend.py", "anchor.queries.spend.spend_totals") in {
        (f, n) for f, _, n in found}
    # the Local multiplier page's queries are asked by its view, through its selection
    assert "anchor.queries.lm3.lm3_inputs" in {n for f, _, n in found
                                                if f == "anchor/views/multiplier.py"}
    assert "anchor.queries.geo.lad_shapes_near" in {n for f, _, n in found
                                                    if f == "anchor/reports/story.py"}
    missing = sorted({f"{f}:{line} {n}" for f, line, n in found if n not in registry})
    assert missing == []


def test_a_query_not_registered_is_caught(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("from anchor.queries import geo as g\n"
                    "from anchor.queries.workforce import lsoa_names\n"
                    "from anchor.ui.data import query, shapes\n"
                    "query(g.local_postcodes, 'RXK', place, ())\n"
                    "shapes(lsoa_names, id_col='lsoa_code')\n"
                    "query(g.site_points, ('RXK',))\n")
    found = passed_queries([page])
    assert found == [("page.py", 4, "anchor.queries.geo.local_postcodes"),
                     ("page.py", 5, "anchor.queries.workforce.lsoa_names"),
                     ("page.py", 6, "anchor.queries.geo.site_points")]
    # the first two are questions of the package left unmarked: not what the cache serves
    assert [n in all_registered() for _, _, n in found] == [False, False, True]


def _decorated() -> list[str]:
    """The name of every function marked `@registered` in the package's source."""
    names = []
    for path in sorted(QUERIES_DIR.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Name) and d.id == "registered" for d in node.decorator_list):
                names.append(f"anchor.queries.{path.stem}.{node.name}")
    return names


def test_registered_names_are_unique_and_match_their_functions():
    names = _decorated()
    assert [n for n, k in Counter(names).items() if k > 1] == []
    registry = all_registered()
    assert sorted(registry) == sorted(names)
    assert all(query_name(fn) == name for name, fn in registry.items())
    assert registry is queries.REGISTRY

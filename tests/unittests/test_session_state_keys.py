"""Session-state keys are constants of anchor/ui/state.py: no page, the app frame or another
UI module names one with a string of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from anchor.ui import state

ROOT = Path(__file__).resolve().parents[2]
STATE = ROOT / "anchor" / "ui" / "state.py"
FILES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"),
                *(p for p in (ROOT / "anchor" / "ui").glob("*.py") if p != STATE)])
ACCESS = ("get", "pop", "setdefault", "__getitem__", "__setitem__", "__contains__")


def _is_session_state(node: ast.AST) -> bool:
    """`st.session_state` (or `session_state` imported on its own)."""
    return ((isinstance(node, ast.Attribute) and node.attr == "session_state")
            or (isinstance(node, ast.Name) and node.id == "session_state"))


def _own_strings(tree: ast.Module) -> dict[str, str]:
    """The names the file binds to a string spelled in it: `KEY = "some_key"`,
    `seen = f"_seen_{key}"`."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            text = _literal(node.value, {})
            if text is not None:
                out.update({t.id: text for t in node.targets if isinstance(t, ast.Name)})
    return out


def _literal(node: ast.AST, own: dict[str, str]) -> str | None:
    """The string a key is spelled with in this file, if it is: a literal, an f-string that
    starts with one, or a name this module binds to a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (isinstance(node, ast.JoinedStr) and node.values
            and isinstance(node.values[0], ast.Constant)):
        return node.values[0].value + "{...}"
    if isinstance(node, ast.Name) and node.id in own:
        return own[node.id]
    return None


def spelled_keys(path: Path) -> list[tuple[int, str]]:
    """Each place `path` reads or writes session state with a key spelled in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _own_strings(tree)
    found = []
    for node in ast.walk(tree):
        keys: list[ast.AST] = []
        if isinstance(node, ast.Subscript) and _is_session_state(node.value):
            keys = [node.slice]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ACCESS and _is_session_state(node.func.value) and node.args):
            keys = [node.args[0]]
        elif isinstance(node, ast.Compare) and any(_is_session_state(c) for c in node.comparators):
            keys = [node.left]
        for key in keys:
            text = _literal(key, own)
            if text is not None:
                found.append((key.lineno, text))
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_session_state_is_keyed_only_by_the_constants_of_state(path):
    assert spelled_keys(path) == []


def test_the_scan_finds_a_key_spelled_out(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text('import streamlit as st\nKEY = "mine"\n'
                      'st.session_state["a"] = 1\nst.session_state.get(f"b_{1}")\n'
                      'st.session_state.pop(KEY, None)\nif "c" in st.session_state:\n    pass\n'
                      'st.session_state[state.FLASH] = 2\n'
                      'def f(k):\n    seen = f"_seen_{k}"\n    st.session_state[seen] = 3\n',
                      encoding="utf-8")
    assert spelled_keys(sample) == [(3, "a"), (4, "b_{...}"), (5, "mine"), (6, "c"),
                                    (11, "_seen_{...}")]


def test_each_key_is_named_once():
    keys = {name: value for name, value in vars(state).items()
            if name.isupper() and isinstance(value, str)}
    assert len(set(keys.values())) == len(keys)

"""The README and the guides in docs/ stay true: every page they name is in the app's
navigation and every page is in the tour, every link and picture is there, every command
is the command line's, every setting is one the code reads."""

from __future__ import annotations

import argparse
import re
import struct
from pathlib import Path

import pytest

from anchor.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
GUIDES = sorted((ROOT / "docs").glob("*.md"))
DOCS = [README, *GUIDES]


def navigation_titles() -> set[str]:
    return set(re.findall(r'st\.Page\("pages/\w+\.py", title="([^"]+)"', (ROOT / "app.py").read_text()))


def _pages_named(text: str) -> set[str]:
    """Pages a document names: '**Place** page', and each bullet or paragraph that leads with a
    bold name in a section about pages ('## The pages', '## A short tour')."""
    named = set(re.findall(r"\*\*([^*\n]+)\*\* page", text))
    for section in re.split(r"\n(?=## )", text):
        heading = section.split("\n", 1)[0].lower()
        if "pages" in heading or "tour" in heading:
            named |= set(re.findall(r"^(?:- )?\*\*([^*\n]+)\*\*[:( ]", section, re.M))
    return named


def test_the_navigation_is_read():
    assert {"Overview", "Local spend", "Place", "National comparison"} <= navigation_titles()
    assert len(GUIDES) >= 4


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_page_a_document_names_is_in_the_navigation(doc):
    titles = navigation_titles() | {"Data"}  # Data is added for analysts
    unknown = _pages_named(doc.read_text()) - titles - {"Sidebar", "Load data"}
    assert not unknown, f"{doc.name} names pages the app does not have: {sorted(unknown)}"


def test_every_page_is_in_the_tour_with_its_picture_and_in_a_guide():
    readme = README.read_text()
    tour = re.split(r"\n(?=## )", readme.split("## A short tour", 1)[1])[0]
    guides = "\n".join(g.read_text() for g in GUIDES)
    for title in navigation_titles() | {"Data"}:
        assert f"**{title}**" in tour, f"the tour leaves out {title}"
        assert re.search(rf"!\[{re.escape(title)}\]\(docs/screenshots/\w+\.png\)", tour), title
        assert f"**{title}**" in guides, f"no guide names {title}"


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_link_and_picture_is_there(doc):
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text()):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path = (doc.parent / target).resolve()
        assert path.exists(), f"{doc.name} links to {target}, which is not there"
        if path.suffix == ".png":
            width, height = _png_size(path)
            assert width >= 1100 and height >= 400, f"{target} is {width}x{height}"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_is_the_command_lines(doc):
    commands = _subcommands(build_parser())
    text = doc.read_text()
    code = "\n".join(re.findall(r"```.*?```|`[^`]+`", text, re.S))
    # `docker exec ... anchor anchor load`: the container, then the command
    used = re.findall(r"(?<![\w.-])anchor (?!anchor\b)([a-z]+)(?: ([a-z]+))?", code)
    assert used or doc.name in {"board-members.md", "definitions.md"}
    for command, sub in used:
        assert command in commands, f"{doc.name}: `anchor {command}` is not a command"
        inner = commands[command]
        if sub and any(isinstance(a, argparse._SubParsersAction) for a in inner._actions):
            assert sub in _subcommands(inner), f"{doc.name}: `anchor {command} {sub}`"
    makefile = (ROOT / "Makefile").read_text()
    for target in re.findall(r"`make ([a-z]+)", text):
        assert re.search(rf"^{target}:", makefile, re.M), f"{doc.name}: `make {target}`"


def test_every_setting_named_is_read_by_the_code():
    code = "\n".join(p.read_text() for p in (ROOT / "anchor").rglob("*.py"))
    code += (ROOT / "Dockerfile").read_text() if (ROOT / "Dockerfile").exists() else ""
    for doc in DOCS:
        for name in set(re.findall(r"\bANCHOR_[A-Z_]+\b", doc.read_text())):
            assert name in code, f"{doc.name} names {name}, which nothing reads"

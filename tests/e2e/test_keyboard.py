"""Someone who cannot use a mouse works the sidebar and the load box from the keyboard alone:
Tab reaches each control, in order, with a visible focus, and Space, Enter and the arrow keys
change it (WCAG 2.2: 2.1.1 Keyboard, 2.4.3 Focus Order, 2.4.7 Focus Visible)."""

import pytest

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.browser

ACTIVE = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const label = a.getAttribute('aria-label') || a.closest('label')?.innerText
    || a.closest('[data-testid]')?.innerText || a.innerText || '';
  return {tag: a.tagName, role: a.getAttribute('role') || '', label: label.trim().slice(0, 80),
          sidebar: !!a.closest('[data-testid=stSidebar]'),
          checked: a.getAttribute('aria-checked') ?? String(a.checked)};
}"""

BOX = """() => {
  const a = document.activeElement;
  const c = a.closest('[data-testid=stElementContainer]') || a.closest('li') || a;
  const r = c.getBoundingClientRect();
  return {x: Math.max(r.x - 4, 0), y: Math.max(r.y - 4, 0), width: r.width + 8,
          height: r.height + 8};
}"""


def focus_shows(page) -> bool:
    """Whether the focused control looks different from the same control unfocused."""
    clip = page.evaluate(BOX)
    element = page.evaluate_handle("document.activeElement").as_element()
    focused = page.screenshot(clip=clip)
    page.evaluate("document.activeElement.blur()")
    blurred = page.screenshot(clip=clip)
    element.focus()
    return focused != blurred


def tab_to(page, want, limit=90):
    """Press Tab until the focused control satisfies `want`; the controls passed on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(ACTIVE)
        if focused:
            if focused["sidebar"]:
                focused["visible"] = focus_shows(page)
            seen.append(focused)
            if want(focused):
                return focused, seen
    raise AssertionError(f"Tab never reached it; passed {[s['label'][:30] for s in seen]}")


def heading_period(page) -> str:
    return page.locator("h3", has_text="By organisation,").first.inner_text()


def test_the_sidebar_and_the_load_box_work_from_the_keyboard(page, app_url):
    page.goto(app_url)
    wait_for_app(page)

    # The period: reached by Tab, opened with the arrow key, another quarter taken with Enter.
    before = heading_period(page)
    focused, seen = tab_to(page, lambda f: f["sidebar"] and f["role"] == "combobox"
                           and f["label"] == "Which")
    assert all(s["visible"] for s in seen if s["sidebar"]), [
        s["label"] for s in seen if s["sidebar"] and not s["visible"]]  # focus always shows
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "b => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith('By "
        "organisation,') && h.innerText !== b)", arg=before, timeout=60_000)
    wait_for_app(page)
    assert heading_period(page) != before

    # The influenceable switch: Space turns it off, and the map's shares change with it.
    largest = page.locator("[data-testid=stTable]").first.inner_text()
    focused, _ = tab_to(page, lambda f: f["sidebar"] and "Influenceable" in f["label"])
    assert focused["checked"] == "true"
    page.keyboard.press("Space")
    page.wait_for_function(
        "t => document.querySelector('[data-testid=stTable]')?.innerText !== t",
        arg=largest, timeout=60_000)
    wait_for_app(page)
    assert page.evaluate(ACTIVE)["checked"] == "false"

    # The load box: Enter opens it, and Tab then reaches its choice of file and its upload.
    focused, _ = tab_to(page, lambda f: f["sidebar"] and f["tag"] == "SUMMARY" and "Load data" in f["label"])
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=stSidebar] [data-testid=stFileUploader]",
                           timeout=30_000)
    focused, seen = tab_to(page, lambda f: f["sidebar"] and f["tag"] == "BUTTON"
                           and "Upload" in f["label"], limit=40)
    kinds = [s for s in seen if s["role"] == "combobox"]
    assert kinds, "Tab passed no choice of what the file holds on its way to the upload"
    with page.expect_file_chooser(timeout=10_000) as chooser:
        page.keyboard.press("Space")  # opens the system's file chooser, as a click would
    assert chooser.value.element.evaluate("e => !!e.closest('[data-testid=stFileUploader]')")

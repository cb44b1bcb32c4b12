"""A board member on a laptop, a desk monitor or a projector: at 1,100, 1,400 and 1,920 pixels
no headline number or its change is cut short, no bar's label runs off its chart, every column
of every table can be reached, and no two axis labels run into each other. Checked from the
elements' sizes, not by eye."""

import pytest

from tests.e2e.conftest import PAGES, READY, wait_for_app

pytestmark = pytest.mark.browser

WIDTHS = (1100, 1400, 1920)

# What is wrong at this width, as one list of plain strings (empty when all is well).
MEASURE = """() => {
  const bad = [];
  const main = document.querySelector('[data-testid=stMainBlockContainer]')
                       .getBoundingClientRect();
  for (const v of document.querySelectorAll('[data-testid=stMetricValue]')) {
    const box = v.closest('[data-testid=stMetric]').getBoundingClientRect();
    const text = v.querySelector('div, p') || v;
    const r = text.getBoundingClientRect();
    if (text.scrollWidth > text.clientWidth + 1 || r.right > box.right + 1)
      bad.push(`tile "${v.innerText}" is ${text.scrollWidth}px in ${text.clientWidth}px`);
  }
  for (const d of document.querySelectorAll('[data-testid=stMetricDelta]')) {
    const text = d.querySelector('div') || d;  // the change, beside its arrow
    if (text.scrollWidth > text.clientWidth + 1)
      bad.push(`change "${d.innerText}" is ${text.scrollWidth}px in ${text.clientWidth}px`);
  }
  const grids = [...document.querySelectorAll('[data-testid=stDataFrame]')].map(
    d => [d, d.querySelector('.dvn-scroller')]).filter(([d, s]) => s);  // drawn grids
  const tables = [...document.querySelectorAll('[data-testid=stTable]')].map(
    t => [t, t.querySelector('table')?.parentElement]).filter(([t, s]) => s);
  for (const [el, scroller] of grids.concat(tables)) {
    const r = el.getBoundingClientRect();
    const name = (el.innerText || '').split('\\n')[0].slice(0, 30);
    if (r.left < main.left - 1 || r.right > main.right + 1)
      bad.push(`table "${name}" runs past the page (${r.left}-${r.right})`);
    if (scroller.scrollWidth > scroller.clientWidth + 1) {
      const overflow = getComputedStyle(scroller).overflowX;
      scroller.scrollLeft = scroller.scrollWidth;
      const reached = scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 1;
      scroller.scrollLeft = 0;
      if (!['auto', 'scroll'].includes(overflow) || !reached)
        bad.push(`table "${name}" is cut off: ${scroller.scrollWidth}px in `
                 + `${scroller.clientWidth}px and does not scroll`);
    }
  }
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    for (const t of plot.querySelectorAll('.bars text')) {  // a bar's value at its end
      const r = t.getBoundingClientRect();
      if (r.width && (r.right > box.right + 1 || r.left < box.left - 1))
        bad.push(`bar label "${t.textContent}" runs ${Math.round(r.right - box.right)}px off its chart`);
    }
  }
  for (const layer of document.querySelectorAll('.js-plotly-plot .xaxislayer-above')) {
    const boxes = [...layer.querySelectorAll('.xtick text')]
      .map(t => [t.textContent, t.getBoundingClientRect()])
      .filter(([s, b]) => s && b.width > 0)
      .sort((a, b) => a[1].left - b[1].left);
    for (let i = 1; i < boxes.length; i++)
      if (boxes[i][1].left < boxes[i - 1][1].right - 1 && boxes[i][1].top < boxes[i - 1][1].bottom)
        bad.push(`axis labels "${boxes[i - 1][0]}" and "${boxes[i][0]}" overlap`);
  }
  return bad;
}"""


def test_pages_hold_at_every_width(page, app_url):
    problems = []
    counted = {"tiles": 0, "tables": 0}
    for name in PAGES:
        page.set_viewport_size({"width": WIDTHS[0], "height": 1000})
        page.goto(f"{app_url}/{name}")
        wait_for_app(page, READY.get(name, "[data-testid=stMetric]"))
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 1000})
            page.wait_for_timeout(1200)  # Plotly redraws its charts after a resize
            problems += [f"{name or 'overview'} at {width}px: {p}"
                         for p in page.evaluate(MEASURE)]
        counted["tiles"] += page.locator("[data-testid=stMetricValue]").count()
        counted["tables"] += page.locator("[data-testid=stDataFrame], "
                                          "[data-testid=stTable]").count()
    assert counted["tiles"] >= 30 and counted["tables"] >= 12, counted  # the checks saw them
    assert not problems, "\n".join(problems)

"""At 1440 px (the hall's office screens) every list page of the menu fits: no table runs past
its container (its last column cut or scrolled away) and no unit name wraps onto two lines."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from govhall.demo.logins import DEMO_PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

# Each table's overflow and, in the column headed 单位 (th.unit), each cell laid out on more
# than one line.
PROBLEMS = """() => {
  const found = [];
  document.querySelectorAll('main table').forEach((table, i) => {
    const box = table.closest('.table-wrap') || table.parentElement;
    if (table.scrollWidth > box.clientWidth + 1) {
      found.push(`table ${i}: ${table.scrollWidth}px in ${box.clientWidth}px`);
    }
    const heads = [...table.querySelectorAll('thead th')];
    const unit = heads.findIndex(th => th.classList.contains('unit'));
    if (unit < 0) return;
    table.querySelectorAll('tbody tr').forEach(tr => {
      const cell = tr.children[unit];
      if (!cell || !cell.textContent.trim()) return;
      const range = document.createRange();
      range.selectNodeContents(cell);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) found.push(`unit wraps: ${cell.textContent.trim()}`);
    });
  });
  return found;
}"""


def _menu(page: Page) -> list[str]:
    page.goto("/")
    return page.evaluate(
        "() => [...document.querySelectorAll('nav.mainnav a')].map(a => a.getAttribute('href'))"
    )


def test_every_menu_page_fits_1440_px_for_every_role(open_page, transactional_db):
    # given the demo hall
    call_command("load_demo", stdout=StringIO())
    found: dict[str, list[str]] = {}
    for username in ("office", "chief", "clerk", "leader", "supervisor"):
        page = open_page()  # 1440 × 900, in Chinese
        log_in(page, username, DEMO_PASSWORD)
        # when each page of the person's menu is opened
        for path in _menu(page):
            response = page.goto(path)
            assert response is not None
            assert response.ok, f"{username} {path}: {response.status}"
            problems = page.evaluate(PROBLEMS)
            if problems:
                found[f"{username} {path}"] = problems[:5]
    # then no table overflows and no unit name wraps
    assert found == {}

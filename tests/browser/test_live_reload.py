"""A page served by `coursegen serve` shows what `validate` would print, as the files change."""

from __future__ import annotations

from playwright.sync_api import expect

from ..test_serve import DEADLINE, UNASSESSED, server  # noqa: F401 - server is a fixture


def test_a_served_page_shows_a_failed_rebuilds_errors_then_its_warnings(server, page):  # noqa: F811
    course, url, _ = server
    page.goto(url + "01-water.html")
    bank = course / "question_banks" / "water.yaml"
    bank.write_text(bank.read_text().replace("type: true_false", "type: true_falsy"))
    error = page.get_by_role("alert")
    expect(error).to_contain_text(
        "water.yaml:33:11: error: unknown question type 'true_falsy'", timeout=DEADLINE * 1000
    )
    expect(error).to_contain_text("Error: course is not valid: 1 error, 0 warnings")

    bank.write_text(bank.read_text().replace("type: true_falsy", "type: true_false"))
    module = course / "modules" / "01-water.md"
    module.write_text(module.read_text().replace("objectives:\n", UNASSESSED, 1))
    warnings = page.locator(".live-reload-warnings")
    expect(warnings).to_have_text(
        f"{course}/modules/01-water.md:5:5: warning: objective 'name-clouds' is not assessed by "
        "any question [unassessed-objective]\n    hint: add a question that lists it under "
        "'objectives:'",
        timeout=DEADLINE * 1000,
    )
    expect(warnings).to_have_attribute("role", "status")
    expect(page.get_by_role("alert")).to_have_count(0)

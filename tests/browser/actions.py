"""What a resident does in the browser, step by step, through the real forms."""

from playwright.sync_api import Page

from tests import factories


def submit(page: Page, form_selector: str = "main form") -> None:
    """Click the form's submit button and wait for the page that answers."""
    form = page.locator(form_selector).last
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").last.click()


def log_in(page: Page, email: str, password: str = factories.PASSWORD) -> None:
    page.goto("/inloggen")
    form = "main form:has([name=password])"
    page.locator(f"{form} [name=email]").fill(email)
    page.locator(f"{form} [name=password]").fill(password)
    submit(page, form)
    assert "/inloggen" not in page.url, page.locator("main").inner_text()


def skip_browser_validation(page: Page) -> None:
    """Let empty required fields through, so the server's validation answers."""
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")

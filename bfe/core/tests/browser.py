"""Helpers for the browser tests of every app."""


def sign_in(page, email):
    """Signs in through the login form, as a person would, with the factories' password."""
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").first.fill(email)
    page.get_by_label("Passwort").first.fill("demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

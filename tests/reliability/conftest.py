"""The UI tests' fixtures (a store on a temp database with the demo menu, with or without the
VAN simulator, and a main window) for the reliability tests that drive screens."""

from tests.ui.conftest import context, van_context, window  # noqa: F401

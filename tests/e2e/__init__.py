"""Browser tests (a package, so that its conftest.py is e2e.conftest, not a second top-level
``conftest`` module hiding tests/conftest.py from the other test modules)."""

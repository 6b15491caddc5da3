"""Simulated twins of every device kind: they record what they were sent (demo mode, tests)."""

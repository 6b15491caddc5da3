"""Package data: theme, icons, the demo menu, translations (read with importlib.resources)."""

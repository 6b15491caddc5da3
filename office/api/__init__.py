"""The office's HTTP API for terminals: ``POST /api/v1/facts`` (docs/office-api.md)."""

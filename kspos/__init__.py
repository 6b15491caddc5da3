"""KSPOS# — the domain core of an open point-of-sale terminal for Korean stores.

This package never imports Qt, ``ui`` or ``drivers`` (``kspos.cli`` aside): everything a sale
needs runs and is tested without a screen.
"""

__version__ = "0.1.0"
APP_NAME = "KSPOS#"
SW_MODEL = f"KSPOS# {__version__}"

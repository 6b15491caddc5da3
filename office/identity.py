"""What a store code, a terminal number and a back-office login look like (one place for the
command line and the web forms)."""

from __future__ import annotations

import re

STORE_CODE = re.compile(r"[A-Z0-9]{1,12}")
TERMINAL_NO = re.compile(r"0[1-9]|[1-9][0-9]")
# a login is typed on a phone too: letters, digits and . _ - (no spaces, no @ needed)
LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
PASSWORD_MAX = 256  # argon2 takes any length; a cap keeps a hostile form from costing CPU

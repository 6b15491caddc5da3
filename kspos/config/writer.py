"""Saving a setting to the config file (the technician's screen): validated, then atomic.

The file is a contract that technicians also write by hand, so an edit changes one value and
keeps everything else: other keys, comments, blank lines, the order, a comment after the value.
The new text is checked with the same parser the app starts with (``kspos.config.parse_config``)
before anything touches the disk: a bad value raises :class:`~kspos.config.ConfigError` with
the file, line, key and reason, and the file stays as it was.

Writing is atomic: a temporary file in the same folder, flushed and fsynced, then
``os.replace`` over the old one (and the folder fsynced), so a power cut leaves the old file or
the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

from kspos.config import ConfigError, parse_config

_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_ARRAY_HEADER = re.compile(r"^\s*\[\[")


def toml_value(value: Any) -> str:
    """A TOML literal for a str, bool, int or float."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} to the config")
    escaped = []
    for char in value:
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _value_end(line: str, start: int) -> int | None:
    """Where the single-line value starting at ``start`` ends; None when it spans lines or is
    not a plain scalar (arrays, inline tables, multi-line strings are not edited in place)."""
    rest = line[start:]
    if rest.startswith(('"""', "'''", "[", "{")):
        return None
    if rest.startswith('"'):
        index = 1
        while index < len(rest):
            if rest[index] == "\\":
                index += 2
                continue
            if rest[index] == '"':
                return start + index + 1
            index += 1
        return None
    if rest.startswith("'"):
        close = rest.find("'", 1)
        return None if close < 0 else start + close + 1
    match = re.match(r"[^\s#]+", rest)
    return start + match.end() if match else None


def _key_line(key: str) -> re.Pattern[str]:
    return re.compile(rf"^(\s*[\"']?{re.escape(key)}[\"']?\s*=\s*)")


def _edit_lines(lines: list[str], section: str, key: str, literal: str) -> bool:
    """Set ``key`` in ``[section]`` in place (keeping a trailing comment) or add it; False when
    the file's shape does not allow a line edit."""
    current, section_at, last_key_at = "", None, None
    pattern = _key_line(key)
    for index, line in enumerate(lines):
        if _ARRAY_HEADER.match(line):
            current = ""
            continue
        header = _HEADER.match(line)
        if header:
            current = header.group(1)
            if current == section:
                section_at = last_key_at = index
            continue
        if current != section:
            continue
        match = pattern.match(line)
        if match:
            end = _value_end(line, match.end())
            if end is None:
                return False
            newline = line[len(line.rstrip("\r\n")):]
            body = line[:len(line) - len(newline)]
            lines[index] = body[:match.end()] + literal + body[end:] + newline
            return True
        if line.strip() and not line.lstrip().startswith("#"):
            last_key_at = index
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if section_at is None:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        if lines and lines[-1].strip():
            lines.append(newline)
        lines.extend([f"[{section}]{newline}", f"{key} = {literal}{newline}"])
        return True
    assert last_key_at is not None
    if not lines[last_key_at].endswith(("\n", "\r")):
        lines[last_key_at] += newline
    lines.insert(last_key_at + 1, f"{key} = {literal}{newline}")
    return True


def _render_all(data: dict[str, Any]) -> str:
    """The whole file from parsed data (the fallback when a line edit is impossible): every
    key kept, comments lost."""
    out = []
    for section, table in data.items():
        out.append(f"[{section}]")
        out.extend(f"{key} = {toml_value(value)}" for key, value in table.items())
        out.append("")
    return "\n".join(out)


def updated_text(text: str, section: str, key: str, value: Any) -> str:
    """``text`` with ``[section] key = value``; every other key, and comments where the file's
    shape allows, kept. Nothing is validated here: ``save_setting`` runs the app's parser."""
    import tomllib  # here, not at the top: start-up reads the remembered language (~15 ms)

    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        before = None
    literal = toml_value(value)
    lines = text.splitlines(keepends=True)
    if _edit_lines(lines, section, key, literal):
        candidate = "".join(lines)
        if before is not None:
            expected = {name: dict(table) if isinstance(table, dict) else table
                        for name, table in before.items()}
            expected.setdefault(section, {})[key] = value
            try:
                if tomllib.loads(candidate) == expected:
                    return candidate
            except tomllib.TOMLDecodeError:
                pass
        else:
            return candidate  # the parser will say what is wrong with the file
    if before is None:
        return "".join(lines)
    data = {name: dict(table) for name, table in before.items() if isinstance(table, dict)}
    data.setdefault(section, {})[key] = value
    return _render_all(data)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets a folder be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8): temp file + fsync + os.replace."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_dir(path.parent)


def save_setting(path: Path | str, section: str, key: str, value: Any) -> str:
    """Set one value in the config file at ``path`` (created when missing); returns the new
    text. ConfigError (file, line, key, reason) when the result would not load: nothing is
    written then. OSError when the file cannot be read or written."""
    path = Path(path)
    try:
        # bytes, not read_text: universal newlines would turn a CRLF file into LF
        text = path.read_bytes().decode("utf-8") if path.exists() else ""
    except UnicodeDecodeError:
        raise ConfigError(path, "not UTF-8 text") from None
    new_text = updated_text(text, section, key, value)
    parse_config(new_text, path)  # the app's own rules: raises ConfigError, nothing written
    write_atomically(path, new_text)
    return new_text


LANG_FILE = "ui-lang"  # in the data dir: the language when there is no config file to hold it


def remember_language(settings: Any, lang: str) -> Path:
    """Keep the cashier's language choice for the next start: ``[ui] lang`` in the config
    file when the store has one, else a small file in the data dir (demo mode, or a config
    that cannot be written). Returns where it went; OSError when neither could be written."""
    if lang not in ("ko", "en"):
        raise ValueError(f"unknown language {lang!r}")
    fallback = Path(settings.data_dir) / LANG_FILE
    path = settings.path
    if path is not None:
        try:
            save_setting(path, "ui", "lang", lang)
        except (OSError, ConfigError):
            pass  # kept in the data dir below
        else:
            with contextlib.suppress(OSError):
                fallback.unlink()  # the config speaks for itself now
            return Path(path)
    write_atomically(fallback, lang + "\n")
    return fallback


def remembered_language(settings: Any) -> str | None:
    """The language kept in the data dir by :func:`remember_language`, if any (the config
    file's ``[ui] lang`` is already in ``settings``)."""
    try:
        with open(os.path.join(settings.data_dir, LANG_FILE), encoding="utf-8") as handle:
            lang = handle.read().strip()
    except OSError:
        return None
    return lang if lang in ("ko", "en") else None


EXPORT_DIR_FILE = "export-dir"  # in the data dir: the folder 판매집계 last exported to


def remember_export_dir(settings: Any, folder: Path | str) -> None:
    """Keep the folder the owner picked for exports (엑셀, CSV) for the next export and the
    next start. OSError when the data dir cannot be written."""
    write_atomically(Path(settings.data_dir) / EXPORT_DIR_FILE, os.fspath(folder) + "\n")


def remembered_export_dir(settings: Any) -> Path | None:
    """The folder kept by :func:`remember_export_dir`, if it still exists."""
    try:
        text = (Path(settings.data_dir) / EXPORT_DIR_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    folder = Path(text) if text else None
    return folder if folder is not None and folder.is_dir() else None

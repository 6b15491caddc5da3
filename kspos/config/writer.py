"""Saving a setting to the config file (the technician's screen): validated, then atomic.

The file is a contract that technicians also write by hand, so an edit changes one value and
keeps everything else: other keys, comments, blank lines, the order, the spacing, a comment
after the value, the file's line ends. tomlkit (a style-preserving TOML editor) makes the edit.
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
from pathlib import Path
from typing import Any

from kspos.config import ConfigError, parse_config


def updated_text(text: str, section: str, key: str, value: str | bool | int | float) -> str:
    """``text`` with ``[section] key = value`` set in place or added; every other key, comment
    and the file's formatting kept. Nothing is validated here: ``save_setting`` runs the app's
    parser (which also names what is wrong with a file that is not TOML: then ``text`` comes
    back unchanged). TypeError for a value the config cannot hold."""
    if not isinstance(value, str | bool | int | float):
        raise TypeError(f"cannot write {type(value).__name__} to the config")
    if section == "kitchen":  # [[kitchen]] is an array of tables: one key names no table
        raise TypeError("[[kitchen]] printers are edited in the config file itself")
    # Imported here, not at the top: start-up imports this module for the remembered language
    # and must not pay for an editor it only needs when the technician saves.
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document = tomlkit.parse(text)
    except TOMLKitError:  # parse_config names the line and the reason to the technician
        return text
    table = document.get(section)
    if not isinstance(table, dict):  # missing, or a value where a table belongs: a new table
        table = tomlkit.table()
        document[section] = table
    table[key] = value
    new_text: str = tomlkit.dumps(document)
    if "\r\n" in text:  # lines tomlkit adds end in \n: keep a CRLF file all CRLF
        new_text = new_text.replace("\r\n", "\n").replace("\n", "\r\n")
    return new_text


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
    except OSError:  # never chosen (no file) or unreadable: the config's language applies
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
    except (OSError, UnicodeDecodeError):  # never chosen, or unreadable: the dialog asks again
        return None
    folder = Path(text) if text else None
    return folder if folder is not None and folder.is_dir() else None

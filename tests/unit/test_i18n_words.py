"""Every Korean word the screens pass to t() has its English (the English UI shows no Hangul
where a translation was forgotten)."""

from __future__ import annotations

import ast
from pathlib import Path

from ui.i18n.en import EN

UI = Path(__file__).resolve().parents[2] / "ui"


def _literal_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" \
                    and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                words.setdefault(node.args[0].value, f"{path.relative_to(UI.parent)}:"
                                                     f"{node.lineno}")
    return words


def test_every_word_given_to_t_has_its_english() -> None:
    words = _literal_words()
    assert len(words) > 150  # the scan found the screens' words
    missing = {word: where for word, where in words.items() if word not in EN}
    assert missing == {}

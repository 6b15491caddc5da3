"""Finding a Korean font for raster receipts in the usual fontconfig folders.

Preferred is NanumGothicCoding (fonts-nanum): a grid font whose Latin glyphs are exactly half a
Hangul syllable wide, like a printer's own Font A, so a raster receipt lines up column for column
with the text-mode one. NanumGothic, Noto Sans CJK and Malgun Gothic are fallbacks; with those
the renderer places each character in its cell.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_DIRS = (
    "/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
    "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts",
)

# (regular file, bold file, face index in a collection); first found wins.
CANDIDATES: tuple[tuple[str, str, int], ...] = (
    ("NanumGothicCoding.ttf", "NanumGothicCodingBold.ttf", 0),
    ("NanumGothic.ttf", "NanumGothicBold.ttf", 0),
    ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", 1),  # face 1 of the collection = KR
    ("NotoSansCJKkr-Regular.otf", "NotoSansCJKkr-Bold.otf", 0),
    ("NotoSansKR-Regular.ttf", "NotoSansKR-Bold.ttf", 0),
    ("malgun.ttf", "malgunbd.ttf", 0),
)


class ReceiptFontMissing(RuntimeError):
    """No Korean font is installed; raster receipts cannot be drawn."""


@dataclass(frozen=True, slots=True)
class FontFiles:
    """The regular face and, when installed, the bold face (None: bold is drawn by overstrike)."""

    regular: Path
    bold: Path | None
    index: int = 0


def _scan(dirs: tuple[str, ...]) -> dict[str, Path]:
    wanted = {name for regular, bold, _ in CANDIDATES for name in (regular, bold)}
    found: dict[str, Path] = {}
    for folder in dirs:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                if name in wanted and name not in found:
                    found[name] = Path(dirpath) / name
    return found


@lru_cache(maxsize=4)
def find_korean_font(dirs: tuple[str, ...] = FONT_DIRS) -> FontFiles:
    """The best installed Korean font; ReceiptFontMissing (with what to install) if none."""
    found = _scan(dirs)
    for regular, bold, index in CANDIDATES:
        if regular in found:
            return FontFiles(found[regular], found.get(bold), index)
    raise ReceiptFontMissing(
        "영수증용 한글 글꼴이 없습니다 (no Korean font for raster receipts): install "
        "fonts-nanum (apt install fonts-nanum) or Noto Sans CJK KR; looked in "
        + ", ".join(dirs))

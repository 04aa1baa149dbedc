"""Fonts for `--smoke-test`: a screenshot without fonts shows only empty boxes, and passes unseen.

Qt's offscreen platform on Windows reads fonts only from QT_QPA_FONTDIR (or a `fonts` folder
inside Qt), not from the system; under Wine it found no font at all and drew every glyph as an
empty box. So on Windows the smoke test points Qt at the Windows fonts folder, and on every
platform it fails when Qt finds no font families rather than save a screenshot without text.
"""

from __future__ import annotations

import ntpath
import os
import sys
from collections.abc import MutableMapping


def prepare_environment(
    environ: MutableMapping[str, str] = os.environ, platform: str = sys.platform
) -> None:
    """Before the QApplication exists: offscreen rendering, and on Windows the system fonts.

    A value the user set (QT_QPA_PLATFORM, QT_QPA_FONTDIR) is kept.
    """
    environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if platform == "win32" and not environ.get("QT_QPA_FONTDIR"):
        windir = environ.get("WINDIR") or environ.get("SYSTEMROOT") or r"C:\Windows"
        environ["QT_QPA_FONTDIR"] = ntpath.join(windir, "Fonts")


def fonts_found() -> bool:
    """Whether Qt has a real font to draw text with (needs a QGuiApplication).

    Some font family, and a default font that gives two letters two real glyphs: with no font
    file fontconfig still names its generic families ("Sans Serif"), but every letter is the
    same empty box.
    """
    from PySide6.QtGui import QFontDatabase, QGuiApplication, QRawFont

    if not QFontDatabase.families():
        return False
    glyphs = QRawFont.fromFont(QGuiApplication.font()).glyphIndexesForString("Ab")
    return len(set(glyphs)) == 2 and 0 not in glyphs


def font_problem() -> str | None:
    """A Dutch message when Qt found no font to draw with, else None."""
    if fonts_found():
        return None
    if sys.platform == "win32":
        folder = os.environ.get("QT_QPA_FONTDIR", "")
        hint = (
            f"Qt zocht in {folder}. Zet QT_QPA_FONTDIR op een map met lettertypen (.ttf), "
            r"bijvoorbeeld C:\Windows\Fonts"
        )
    else:
        hint = "Installeer lettertypen (bijvoorbeeld het pakket fonts-dejavu)"
    return (
        "Geen lettertypen gevonden: de schermafdruk zou alleen lege vakjes tonen. "
        f"{hint}, en probeer het opnieuw."
    )

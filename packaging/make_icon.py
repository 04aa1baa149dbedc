"""Draw the srgdesk icon with Qt (offscreen) and write resources/srgdesk.ico and resources/srgdesk.png.

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py

The .ico holds 16-256 px images, each drawn at its own size (no blurry downscaling): 32-bit BMP
entries up to 48 px (what Explorer and the taskbar read best), PNG entries from 64 px.
The picture: two linked chain links (the key chain that srgdesk repairs) on Rijksoverheid blue.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_FROM = 64
BLUE = QColor("#154273")
WHITE = QColor("#ffffff")
ORANGE = QColor("#f39200")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    margin = 0.0 if size <= 24 else s * 0.03
    bg = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BLUE)
    p.drawRoundedRect(bg, s * 0.18, s * 0.18)

    # Two chain links, tilted 45 degrees: the orange one runs through the end of the white one,
    # over its lower edge and under its upper edge. A blue halo around each stroke makes the gaps.
    pen_w = max(1.5, s * 0.085)
    halo_w = pen_w + max(1.0, s * 0.05)
    length, w_white, w_orange = s * 0.52, s * 0.28, s * 0.19
    p.translate(s / 2, s / 2)
    p.rotate(-45)

    def link(cx: float, width: float, color: QColor, halo: bool) -> None:
        r = QRectF(cx - length / 2, -width / 2, length, width)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if halo:
            p.setPen(QPen(BLUE, halo_w))
            p.drawRoundedRect(r, width / 2, width / 2)
        p.setPen(QPen(color, pen_w))
        p.drawRoundedRect(r, width / 2, width / 2)

    white_x, orange_x = -length * 0.33, length * 0.33
    link(white_x, w_white, WHITE, halo=False)
    link(orange_x, w_orange, ORANGE, halo=True)
    # Where the white link's right end crosses the orange link's upper edge, white goes on top.
    cap_centre = white_x + length / 2 - w_white / 2
    dx = ((w_white / 2) ** 2 - (w_orange / 2) ** 2) ** 0.5
    crossing = QPointF(cap_centre + dx, -w_orange / 2)
    over = QPainterPath()
    over.addEllipse(crossing, halo_w * 1.1, halo_w * 1.1)
    p.setClipPath(over)
    link(white_x, w_white, WHITE, halo=True)
    p.setClipping(False)
    p.resetTransform()
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data)


def bmp_entry(image: QImage) -> bytes:
    """A 32-bit DIB for an .ico entry: header with double height, BGRA rows bottom-up, AND mask."""
    w, h = image.width(), image.height()
    image = image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA in memory (little endian)
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, w * h * 4, 0, 0, 0, 0)
    rows = []
    for y in range(h - 1, -1, -1):
        line = image.constScanLine(y)
        rows.append(bytes(line)[: w * 4])
    mask_stride = ((w + 31) // 32) * 4
    mask = bytearray()
    for y in range(h - 1, -1, -1):
        bits = bytearray(mask_stride)
        for x in range(w):
            if image.pixelColor(x, y).alpha() == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bits
    return header + b"".join(rows) + bytes(mask)


def ico_bytes(images: list[QImage]) -> bytes:
    entries, blobs = [], []
    offset = 6 + 16 * len(images)
    for image in images:
        blob = png_bytes(image) if image.width() >= PNG_FROM else bmp_entry(image)
        w = image.width() % 256  # 0 means 256
        entries.append(struct.pack("<BBBBHHII", w, w, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return struct.pack("<HHH", 0, 1, len(images)) + b"".join(entries) + b"".join(blobs)


def main(out_dir: Path = ROOT / "resources") -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    images = [draw(size) for size in SIZES]
    (out_dir / "srgdesk.ico").write_bytes(ico_bytes(images))
    draw(256).save(str(out_dir / "srgdesk.png"), "PNG")
    print(f"{out_dir / 'srgdesk.ico'}: {', '.join(str(s) for s in SIZES)} px")
    print(f"{out_dir / 'srgdesk.png'}: 256 px")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources"))

"""The PyInstaller bundle's configuration (no build here: .ci/bundle_check builds and runs it)."""

from __future__ import annotations

import importlib.util
import re
import struct
import sys
import tomllib
import types
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_installer.spec"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(
        f"srgdesk_test_{name}", ROOT / "packaging" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


config = _load("bundle_config")
versioning = _load("version_info")


def test_spec_builds_one_folder_named_srgdesk_without_upx():
    text = SPEC.read_text(encoding="utf-8")
    assert "exclude_binaries=True" in text  # onedir: binaries go to COLLECT, not into the exe
    assert "COLLECT(" in text
    assert config.APP_NAME == "srgdesk"
    assert re.search(r"^\s*upx=False", text, re.M)
    assert "console=not IS_WIN" in text  # windowed on Windows only
    assert 'collect_submodules("srgdesk")' in text
    assert 'copy_metadata("srgdesk")' in text
    assert '"resources"), "resources")' in text  # lands in sys._MEIPASS/resources


@pytest.mark.parametrize(
    "module",
    [
        "PySide6.QtWebEngineCore",
        "PySide6.QtWebEngineWidgets",
        "PySide6.QtQml",
        "PySide6.QtQuick",
        "PySide6.Qt3DCore",
        "PySide6.QtMultimedia",
        "PySide6.QtPdf",
        "PySide6.QtCharts",
        "PySide6.QtDataVisualization",
        "PySide6.QtBluetooth",
        "PySide6.QtNfc",
        "PySide6.QtSensors",
        "PySide6.QtSerialPort",
        "PySide6.QtPositioning",
        "PySide6.QtLocation",
        "PySide6.QtDesigner",
        "PySide6.QtHelp",
        "PySide6.QtSql",
        "PySide6.QtOpenGL",
        "PySide6.QtTest",
        "tkinter",
        "matplotlib",
        "IPython",
        "pytest",
        "hypothesis",
    ],
)
def test_heavy_modules_are_excluded(module):
    assert module in config.EXCLUDES


def test_modules_the_app_uses_are_not_excluded():
    used = set()
    for path in (ROOT / "srgdesk").rglob("*.py"):
        used |= set(re.findall(r"\bPySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    used_modules = {f"PySide6.{name}" for name in used}
    assert not used_modules & set(config.EXCLUDES)
    assert {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"} <= set(config.QT_MODULES)


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_nl.qm", True),
        ("PySide6/Qt/translations/qtbase_en.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/translations/qt_help_nl.qm", False),
        ("PySide6\\translations\\qtbase_fr.qm", False),
        ("PySide6\\translations\\qtbase_nl.qm", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6\\plugins\\imageformats\\qpdf.dll", False),
        ("PySide6/Qt/plugins/imageformats/libqico.so", True),
        ("PySide6\\plugins\\imageformats\\qsvg.dll", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qoffscreen.dll", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", False),
        ("PySide6\\Qt6Pdf.dll", False),
        ("PySide6\\Qt6Quick.dll", False),
        ("PySide6\\Qt6Network.dll", False),
        ("PySide6\\opengl32sw.dll", False),
        ("PySide6\\Qt6Widgets.dll", True),
        ("PySide6/Qt/lib/libQt6Gui.so.6", True),
        ("PySide6/Qt/lib/libicudata.so.73", True),
        ("PySide6/QtWidgets.abi3.so", True),
        ("resources/demo/oud.csv", True),
        ("pandas/_libs/lib.cpython-311-x86_64-linux-gnu.so", True),
    ],
)
def test_keep(dest, kept):
    assert config.keep(dest) is kept


def test_prune_orphans_removes_only_what_dropped_files_needed():
    binaries = [
        ("PySide6/QtGui.abi3.so", "/x/QtGui.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/x/libQt6Gui.so.6", "BINARY"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),
        ("libpng16.so.16", "/usr/lib/libpng16.so.16", "BINARY"),  # needed by Gui and cairo
        ("libdlopened.so.1", "/usr/lib/libdlopened.so.1", "BINARY"),  # nobody links it
        ("libgtk-3.so.0.link", "libgtk-3.so.0", "SYMLINK"),
    ]
    dropped = [("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x/libqgtk3.so", "BINARY")]
    imports = {
        "/x/QtGui.abi3.so": [("libQt6Gui.so.6", "/x/libQt6Gui.so.6")],
        "/x/libqgtk3.so": [
            ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0"),
            ("libQt6Gui.so.6", "/x/libQt6Gui.so.6"),
        ],
        "/usr/lib/libgtk-3.so.0": [("libcairo.so.2", "/usr/lib/libcairo.so.2")],
        "/usr/lib/libcairo.so.2": [("libpng16.so.16", "/usr/lib/libpng16.so.16")],
        "/x/libQt6Gui.so.6": [("libpng16.so.16", "/usr/lib/libpng16.so.16"), ("libGL.so.1", None)],
    }
    kept, removed = config.prune_orphans(binaries, dropped, lambda src: imports.get(src, []))
    assert {e[0] for e in removed} == {"libgtk-3.so.0", "libcairo.so.2"}
    assert {e[0] for e in kept} == {
        "PySide6/QtGui.abi3.so",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "libpng16.so.16",
        "libdlopened.so.1",
        "libgtk-3.so.0.link",
    }


def test_restore_needed_puts_back_a_dropped_library_that_a_kept_one_links():
    kept = [("PySide6/plugins/platforms/qwindows.dll", "/q/qwindows.dll", "BINARY")]
    dropped = [
        ("PySide6/Qt6Network.dll", "/q/Qt6Network.dll", "BINARY"),
        ("PySide6/Qt6Pdf.dll", "/q/Qt6Pdf.dll", "BINARY"),
        ("PySide6/Qt6Foo.dll", "/q/Qt6Foo.dll", "BINARY"),
    ]
    imports = {
        "/q/qwindows.dll": [("Qt6Network.dll", "/q/Qt6Network.dll"), ("KERNEL32.dll", None)],
        "/q/Qt6Network.dll": [("Qt6Foo.dll", "/q/Qt6Foo.dll")],
    }
    result, restored = config.restore_needed(kept, dropped, lambda src: imports.get(src, []))
    assert {e[0] for e in restored} == {"PySide6/Qt6Network.dll", "PySide6/Qt6Foo.dll"}
    assert len(result) == 3


def test_drop_dangling_symlinks_across_binaries_and_datas():
    binaries = [("PySide6/Qt/lib/libQt6Gui.so.6", "/x/libQt6Gui.so.6", "BINARY")]
    datas = [
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("PySide6/lib/alias.so", "../Qt/lib/libQt6Gui.so.6", "SYMLINK"),  # relative: not resolved
        ("libalias.so", "libQt6Gui.so.6", "SYMLINK"),  # a link to a link
        ("resources/gemeenten.csv", "/r/gemeenten.csv", "DATA"),
    ]
    (b, d), removed = config.drop_dangling_symlinks(binaries, datas)
    assert b == binaries
    assert {e[0] for e in removed} == {"libQt6Network.so.6", "PySide6/lib/alias.so"}
    assert {e[0] for e in d} == {"libQt6Gui.so.6", "libalias.so", "resources/gemeenten.csv"}


def test_version_comes_from_pyproject_and_matches_the_package():
    import srgdesk

    with (ROOT / "pyproject.toml").open("rb") as fh:
        version = tomllib.load(fh)["project"]["version"]
    assert versioning.project_version() == version == srgdesk.__version__
    text = versioning.version_info_text()
    assert f"StringStruct('ProductVersion', '{version}')" in text
    assert f"filevers={versioning.version_tuple(version)!r}" in text


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.0.1rc1", (2, 0, 1, 0)),
        ("1.2.3.4", (1, 2, 3, 4)),
        ("v3.1.0.dev7", (3, 1, 0, 0)),
    ],
)
def test_version_tuple(version, expected):
    assert versioning.version_tuple(version) == expected


def test_version_resource_is_readable_by_pyinstaller(tmp_path, monkeypatch):
    pytest.importorskip("PyInstaller")
    if sys.platform != "win32":  # pefile and win32api exist on Windows only; reading needs neither
        import PyInstaller.compat

        monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
        monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
        monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
    try:
        from PyInstaller.utils.win32 import versioninfo
    except ImportError as exc:
        pytest.skip(f"PyInstaller's versioninfo not importable here: {exc}")
    path = versioning.write_version_info(tmp_path / "v.txt", "1.2.3")
    info = versioninfo.load_version_info_from_text_file(str(path))
    raw = info.toRaw()
    assert "1.2.3".encode("utf-16-le") in raw
    assert info.ffi.fileVersionMS == (1 << 16) | 2
    assert info.ffi.fileVersionLS == 3 << 16


def test_icon_is_a_multi_size_ico_and_png_exists():
    data = (ROOT / "resources" / "srgdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, _height, _colors, _res, _planes, bpp, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        assert bpp == 32
        assert offset + size <= len(data)
        sizes.add(width or 256)
    assert {16, 24, 32, 48, 256} <= sizes
    assert (ROOT / "resources" / "srgdesk.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_entry_does_not_touch_consoles_outside_a_windows_bundle():
    entry = _load("srgdesk_entry")
    assert entry.attach_parent_console() is False


def test_lxml_is_bundled_so_the_exe_writes_the_xlsx_parts_the_source_writes():
    # openpyxl writes with lxml when it is importable, else with Python's own XML writer
    assert "lxml" not in config.EXCLUDES
    assert "lxml.etree" in config.REQUIRED_MODULES
    assert "config.REQUIRED_MODULES" in SPEC.read_text(encoding="utf-8")  # as hidden imports


report = _load("bundle_report")


@pytest.mark.parametrize(
    "path",
    [
        "_internal/lxml/etree.cpython-311-x86_64-linux-gnu.so",
        "_internal/lxml/etree.cp311-win_amd64.pyd",
    ],
)
def test_the_bundle_check_requires_lxml_on_linux_and_windows(tmp_path, path):
    dist = tmp_path / "srgdesk"
    for required in [*report.REQUIRED, path]:
        (dist / required).parent.mkdir(parents=True, exist_ok=True)
        (dist / required).write_bytes(b"x")
    assert report.main(["check", str(dist)]) == 0
    (dist / path).unlink()
    assert report.main(["check", str(dist)]) == 1


def _xlsx(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


SOURCE_PARTS = {
    "docProps/core.xml": "<created>2024-01-01T10:00:00Z</created>",
    "xl/worksheets/sheet1.xml": "<sheetData><row r='1'/></sheetData>",
    "xl/styles.xml": "<styleSheet/>",
}


def test_xlsx_parts_are_equal_when_only_the_timestamps_differ(tmp_path):
    later = dict(SOURCE_PARTS, **{"docProps/core.xml": "<created>2024-01-02T11:00:00Z</created>"})
    first = _xlsx(tmp_path / "a.xlsx", SOURCE_PARTS)
    assert report.xlsx_part_differences(first, _xlsx(tmp_path / "b.xlsx", later)) == []
    assert report.main(["same-xlsx", str(first), str(tmp_path / "b.xlsx")]) == 0


def test_xlsx_parts_written_by_another_xml_writer_differ(tmp_path):
    other = dict(
        SOURCE_PARTS, **{"xl/worksheets/sheet1.xml": '<sheetData><row r="1" /></sheetData>'}
    )
    other.pop("xl/styles.xml")
    first = _xlsx(tmp_path / "a.xlsx", SOURCE_PARTS)
    second = _xlsx(tmp_path / "b.xlsx", other)
    assert report.xlsx_part_differences(first, second) == [
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    ]
    assert report.main(["same-xlsx", str(first), str(second)]) == 1

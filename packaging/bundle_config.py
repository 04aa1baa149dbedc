"""What goes into the PyInstaller bundle and what is trimmed out of it.

Plain data and one filter function, loaded by build_installer.spec and by
tests/test_bundle_spec.py (no PyInstaller import here, so the test stays fast).

Set SRGDESK_UNTRIMMED=1 when building to switch the trimming off (only to measure what it saves).
"""

from __future__ import annotations

import re

APP_NAME = "srgdesk"

# Qt modules the app uses. Listed explicitly because srgdesk.gui imports Qt lazily.
QT_MODULES = ["PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"]

# Python modules never to bundle: Qt modules we do not use (their hooks would pull in large
# libraries, plugins and QML files) and test/notebook/plotting tools that sit in a dev venv.
QT_EXCLUDES = [
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtWebView",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickTest",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation",
    "PySide6.Qt3DExtras",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtSpatialAudio",
    "PySide6.QtTextToSpeech",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtGraphsWidgets",
    "PySide6.QtBluetooth",
    "PySide6.QtNfc",
    "PySide6.QtSensors",
    "PySide6.QtSerialPort",
    "PySide6.QtSerialBus",
    "PySide6.QtPositioning",
    "PySide6.QtLocation",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtTest",
    "PySide6.QtSql",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtNetwork",
    "PySide6.QtNetworkAuth",
    "PySide6.QtHttpServer",
    "PySide6.QtRemoteObjects",
    "PySide6.QtScxml",
    "PySide6.QtStateMachine",
    "PySide6.QtAxContainer",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
]
PY_EXCLUDES = [
    "tkinter",
    "_tkinter",
    "turtle",
    "turtledemo",
    "idlelib",
    "matplotlib",
    "IPython",
    "ipykernel",
    "jupyter_client",
    "notebook",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "ruff",
    "pluggy",
    "iniconfig",
    "scipy",
    "numba",
    "pyarrow",
    "sqlalchemy",
    "tables",
    "bottleneck",
    "numexpr",
    "fsspec",
    "xlsxwriter",
    "odf",
    "pyxlsb",
    "bs4",
    "html5lib",
    "jinja2",
    "psycopg2",
    "pymysql",
    "PyQt5",
    "PyQt6",
    "PySide2",
    "pydoc_data",
    "lib2to3",
    "distutils",
    "setuptools",
    "pip",
]
EXCLUDES = QT_EXCLUDES + PY_EXCLUDES

# Modules the bundle must keep although the app never imports them by name: openpyxl writes its
# xlsx parts with lxml when lxml is importable and with Python's own XML writer otherwise, so
# without lxml the exe would write other bytes than the source does (issue 15).
REQUIRED_MODULES = ["lxml.etree"]

# Qt translations we keep: the app speaks Dutch; English is Qt's own fallback.
QT_TRANSLATIONS = ("qtbase_nl.qm", "qtbase_en.qm")

# Qt plugins we drop (path below .../Qt/plugins/ or PySide6/plugins/, forward slashes).
# Platforms: Windows keeps qwindows (+ offscreen/minimal); Linux keeps xcb (+ offscreen/minimal),
# which is only used to test the bundle in CI.
_DROP_PLUGINS = [
    r"imageformats/(lib)?q(pdf|tiff|webp|tga|wbmp|icns|gif)[^/]*$",
    r"platforms/(lib)?q(eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl|wayland|direct2d)[^/]*$",
    r"platformthemes/(lib)?q(gtk3|xdgdesktopportal)[^/]*$",  # Linux only; they pull in GTK
    r"(egldeviceintegrations|wayland-[a-z-]+|platforminputcontexts|generic|networkinformation"
    r"|tls|sqldrivers|qmltooling|designer|multimedia|position|sensors|texttospeech|canbus"
    r"|renderers|sceneparsers|geometryloaders|webview|vectorimageformats)/",
]
# Qt libraries that only the dropped parts need (matched on the file name).
_DROP_LIBS = [
    r"^(lib)?Qt6(Pdf|Qml|Quick|WebEngine|Multimedia|3D|Charts|DataVisualization|Graphs|Designer"
    r"|Help|Lottie|VirtualKeyboard|Wayland|Wl[A-Z]|EglFS|EglFs|Sql|Network|Positioning|Location|Sensors"
    r"|SerialPort|Bluetooth|Nfc|ShaderTools|Labs|OpenGLWidgets)[^/]*$",
    r"^opengl32sw\.dll$",  # software OpenGL (20 MB): a widgets app paints with the raster engine
]
_QT_DIR = re.compile(r"(^|/)PySide6/(Qt/)?")


def _norm(dest: str) -> str:
    return dest.replace("\\", "/")


def keep(dest: str) -> bool:
    """Whether a file collected for the bundle (its destination path) is kept."""
    path = _norm(dest)
    if not _QT_DIR.search(path):
        return True
    name = path.rsplit("/", 1)[-1]
    if "/translations/" in path and name.endswith(".qm"):
        return name in QT_TRANSLATIONS
    if "/plugins/" in path:
        plugin = path.split("/plugins/", 1)[1]
        return not any(re.search(p, plugin) for p in _DROP_PLUGINS)
    return not any(re.search(p, name) for p in _DROP_LIBS)


def trim(toc: list) -> tuple[list, list]:
    """Split a PyInstaller TOC (dest, src, typecode) into (kept, dropped)."""
    kept, dropped = [], []
    for entry in toc:
        (kept if keep(entry[0]) else dropped).append(entry)
    return kept, dropped


def _base(path: str) -> str:
    return _norm(path).rsplit("/", 1)[-1].lower()


def prune_orphans(binaries: list, dropped: list, get_imports) -> tuple[list, list]:
    """Remove the libraries that only dropped files needed.

    PyInstaller adds the linked dependencies of every collected binary before the spec can filter;
    a dropped plugin leaves its libraries behind (the GTK stack of the gtk3 theme, Qt6Pdf of the
    pdf image plugin). Only dependencies of dropped files are candidates, so a library that is
    loaded at run time (dlopen, ctypes) and not linked by a dropped file is never touched. A
    candidate stays when any other kept binary links it (directly or through other libraries).
    get_imports(src) -> iterable of (name, resolved path or None), like PyInstaller's bindepend.
    """
    files = {_base(e[0]): e for e in binaries if e[2] != "SYMLINK"}
    cache: dict[str, set[str]] = {}

    def deps(src: str) -> set[str]:
        if src not in cache:
            found = set()
            for name, path in get_imports(src):
                for candidate in (name, path):
                    if candidate and _base(candidate) in files:
                        found.add(_base(candidate))
            cache[src] = found
        return cache[src]

    def closure(start: set[str]) -> set[str]:
        seen, todo = set(), list(start)
        while todo:
            base = todo.pop()
            if base in seen or base not in files:
                continue
            seen.add(base)
            todo.extend(deps(files[base][1]))
        return seen

    candidates: set[str] = set()
    for entry in dropped:
        if entry[2] != "SYMLINK":
            candidates |= closure(deps(entry[1]))
    orphans = candidates - closure({base for base in files if base not in candidates})
    kept = [e for e in binaries if e[2] == "SYMLINK" or _base(e[0]) not in orphans]
    removed = [e for e in binaries if e[2] != "SYMLINK" and _base(e[0]) in orphans]
    return kept, removed


def restore_needed(kept: list, dropped: list, get_imports) -> tuple[list, list]:
    """Put back dropped libraries that a kept binary still links (a safety net for name rules).

    A library dropped by name (say Qt6Network) but linked by a kept plugin would make that plugin
    fail to load at run time; better a bigger bundle than a broken one. Returns (kept, restored).
    """
    by_base = {_base(e[0]): e for e in dropped if e[2] != "SYMLINK"}
    restored: list = []
    todo = [e for e in kept if e[2] != "SYMLINK"]
    while todo and by_base:
        entry = todo.pop()
        for name, path in get_imports(entry[1]):
            for candidate in (name, path):
                back = by_base.pop(_base(candidate), None) if candidate else None
                if back is not None:
                    restored.append(back)
                    todo.append(back)
    return kept + restored, restored


def drop_dangling_symlinks(*tocs: list) -> tuple[list[list], list]:
    """Remove SYMLINK entries (PyInstaller puts them in binaries and datas) whose target is gone."""
    present = {_norm(e[0]) for toc in tocs for e in toc if e[2] != "SYMLINK"}
    links = {_norm(e[0]): e for toc in tocs for e in toc if e[2] == "SYMLINK"}

    def target(entry) -> str:
        parent = _norm(entry[0]).rpartition("/")[0]
        return f"{parent}/{_norm(entry[1])}" if parent else _norm(entry[1])

    changed = True
    while changed:  # a link may point at a link
        changed = False
        for dest, entry in links.items():
            if dest not in present and target(entry) in present:
                present.add(dest)
                changed = True
    result, removed = [], []
    for toc in tocs:
        kept = []
        for entry in toc:
            if entry[2] == "SYMLINK" and _norm(entry[0]) not in present:
                removed.append(entry)
            else:
                kept.append(entry)
        result.append(kept)
    return result, removed

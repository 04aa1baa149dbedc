"""One place that finds files under resources/, from a source tree, a wheel or a PyInstaller bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The folder holding layouts, synonyms, gemeenten, templates and demo data."""
    candidates = []
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root:
        candidates.append(Path(bundle_root) / "resources")
    package_dir = Path(__file__).resolve().parent.parent
    candidates.append(package_dir / "_resources")  # installed wheel
    candidates.append(package_dir.parent / "resources")  # source tree / editable install
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources/ niet gevonden naast srgdesk: de installatie is onvolledig")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)

"""srgdesk: conversiebestand and wijzigingsmelding for the CBS Statistiek Re-integratie door Gemeenten."""

from importlib.metadata import PackageNotFoundError, version


def _version() -> str:
    """The version in pyproject.toml: from the installed metadata, or the file in a source tree."""
    try:
        return version("srgdesk")
    except PackageNotFoundError:
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, ValueError):
            return "onbekend"


__version__ = _version()

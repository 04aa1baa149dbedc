"""srgdesk: conversiebestand and wijzigingsmelding for the CBS Statistiek Re-integratie door Gemeenten."""


def _version() -> str:
    """The version in pyproject.toml: from the file in a source tree (cheap to read, and never
    stale in an editable install), else from the installed metadata. importlib.metadata alone
    costs more than half of `srgdesk --version`'s start-up, so it is only the fallback."""
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        if project["name"] == "srgdesk":
            return str(project["version"])
    except (OSError, KeyError, ValueError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("srgdesk")
    except PackageNotFoundError:
        return "onbekend"


__version__ = _version()

"""The version of srgdesk: the same as [project] version in pyproject.toml (a test checks).

A plain module, so `import srgdesk` reads no pyproject.toml and imports neither tomllib nor
importlib.metadata: both cost more than the rest of `srgdesk --version`'s own start-up."""

__version__ = "0.1.0"

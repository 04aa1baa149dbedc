"""srgdesk: conversiebestand and wijzigingsmelding for the CBS Statistiek Re-integratie door Gemeenten."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("srgdesk")
except PackageNotFoundError:  # running from a bundle or a plain source tree
    __version__ = "0.1.0"

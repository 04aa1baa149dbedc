"""srgdesk: conversiebestand and wijzigingsmelding for the CBS Statistiek Re-integratie door Gemeenten."""

from srgdesk._version import __version__

__all__ = ["__version__"]

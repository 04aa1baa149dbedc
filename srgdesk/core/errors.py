"""The one exception type that carries a Dutch message for the user."""


class InvoerFout(Exception):
    """An input or output problem the user can fix; the message is plain Dutch and says what to do."""

    def __init__(self, melding: str):
        super().__init__(melding)
        self.melding = melding

    def __str__(self) -> str:
        return self.melding


class Geannuleerd(Exception):
    """Raised inside long work when the user pressed Annuleren."""

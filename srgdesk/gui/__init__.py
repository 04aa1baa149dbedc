"""The PySide6 wizard. Only this package imports Qt; it calls the same core as the CLI."""

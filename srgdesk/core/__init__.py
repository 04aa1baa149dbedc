"""The Qt-free core of srgdesk: reading, mapping, cleaning, matching and the outputs.

Nothing in this package may import PySide6; tests/core/test_no_qt.py checks it.
"""

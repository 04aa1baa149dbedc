"""Console output and exit codes shared by the CLI, its commands and the GUI's smoke test.

A module of its own so that `gui/app.py` and `commands/*` can print without importing `cli`
(which imports them: that was an import cycle).
"""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_DEFECT = 1  # a defect in srgdesk, not the user's data: logged, without BSNs
EXIT_INVOER = 2  # an input is unusable or an output cannot be written: one Dutch line
EXIT_AFGEBROKEN = 130  # Ctrl+C


def say(text: str = "", error: bool = False) -> None:
    """Print that survives a windowed exe, where sys.stdout and sys.stderr are None."""
    stream = sys.stderr if error else sys.stdout
    if stream is None:
        return
    try:
        try:
            stream.write(text + "\n")
        except UnicodeEncodeError:  # a Windows console in cp850
            encoding = stream.encoding or "ascii"
            stream.write(text.encode(encoding, errors="replace").decode(encoding) + "\n")
    except OSError:  # output piped into `head`, or a closed console
        pass

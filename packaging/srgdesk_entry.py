"""Entry point of the bundled srgdesk(.exe): the window without arguments, the CLI with them.

On Windows the exe is built windowed (console=False), so a double-click never flashes a console
window, and sys.stdout/sys.stderr are None. When it is started from cmd or PowerShell with
arguments (`srgdesk.exe match ...`, `--version`), we attach to the console of that parent so the
CLI output is visible. Without a parent console (Explorer, a shortcut) nothing changes. Output
that was redirected to a file (`> log.txt`) is left alone.

A windowed exe does not make cmd wait: the prompt returns at once and %ERRORLEVEL% is not set.
Scripts use `start "" /wait srgdesk.exe match ...` (see docs/bundle.md).
"""

from __future__ import annotations

import contextlib
import sys


def attach_parent_console() -> bool:
    """Windows, frozen, windowed, with arguments: send None streams to the parent's console."""
    if sys.platform != "win32" or not getattr(sys, "frozen", False) or len(sys.argv) <= 1:
        return False
    if sys.stdout is not None and sys.stderr is not None:
        return False
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.AttachConsole.argtypes = [wintypes.DWORD]
    kernel32.AttachConsole.restype = wintypes.BOOL
    attach_parent_process = 0xFFFFFFFF  # ATTACH_PARENT_PROCESS, (DWORD)-1
    if not kernel32.AttachConsole(attach_parent_process):
        return False  # no parent console (started from Explorer or a shortcut)
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            # open("CONOUT$") gives a console stream that writes Unicode (PEP 528). It stays open
            # for the life of the process, like the streams it replaces.
            with contextlib.suppress(OSError):
                stream = open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
                setattr(sys, name, stream)
    if sys.stdout is not None:
        sys.stdout.write("\n")  # start below the prompt that cmd already printed again
    return True


def main() -> int:
    import multiprocessing

    multiprocessing.freeze_support()
    attach_parent_console()
    from srgdesk.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    raise SystemExit(main())

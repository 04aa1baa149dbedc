"""Entry point: `srgdesk` / `python -m srgdesk` / the bundled srgdesk.exe."""

from srgdesk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

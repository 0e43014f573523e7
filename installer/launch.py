"""Entry point of the frozen program (PyInstaller runs this file as a script)."""

import sys

from cspdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())

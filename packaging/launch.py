"""The bundle's entry point (PyInstaller runs this file as a script): the same as `hafiza`."""

import multiprocessing
import sys

from hafiza.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must not start the app again
    sys.exit(main())

"""Run Hafiza from a checkout: ``python main.py [...]`` is ``python -m hafiza [...]``.

The command line itself lives in ``hafiza/__main__.py``, so that the installed package, the
``hafiza`` command and this file share one parser.
"""

import sys

from hafiza.__main__ import main

if __name__ == "__main__":
    sys.exit(main())

import sys

from govrules.cli import main

sys.exit(main())

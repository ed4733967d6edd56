import sys

from stdt2v.cli import main

sys.exit(main())

import sys

from qvupload.cli import main

sys.exit(main())

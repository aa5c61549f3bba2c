import multiprocessing
import sys

if __name__ == "__main__":  # guarded: worker processes re-import the main module
    # first of all: in a frozen bundle a worker process starts this same program; this runs the
    # worker and exits instead of starting the whole app again (a no-op when not frozen)
    multiprocessing.freeze_support()
    from qvupload.cli import main

    sys.exit(main())

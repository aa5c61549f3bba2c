import sys

if __name__ == "__main__":  # guarded: worker processes re-import the main module
    if getattr(sys, "frozen", False):
        # first of all: in a frozen bundle a worker process starts this same program; this runs the
        # worker and exits instead of starting the whole app again. Elsewhere it does nothing, and
        # loading multiprocessing (pickle, socket, selectors) would delay the window by 10-20 ms
        import multiprocessing

        multiprocessing.freeze_support()
    from qvupload.cli import main

    sys.exit(main())

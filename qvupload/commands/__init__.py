"""One module per command-line command: each has ``add_parser(subparsers)`` and ``run(args)``."""

"""Sub-commands of `summit`; each module has register(subparsers)."""

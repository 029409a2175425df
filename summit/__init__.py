"""summit: a negotiation simulation of the June 2019 US-Israel-Russia summit in Jerusalem.

Layers, bottom up: ``scenario`` (load and validate TOML) -> ``params`` (sample a run's
parameters from its seed) -> ``rules`` (pure array functions: one rule set for every use) ->
``model`` (one run as a mesa.Model) and ``batch`` (many runs at once) -> front ends
(``cli``, ``tui``, ``report``, ``api``).

From Python (docs/api.md): ``summit.load(name)``, ``summit.run(spec, seed)``,
``summit.batch(spec, runs, seed)`` (a pandas.DataFrame) and ``summit.map(...)``.
"""

import importlib

__version__ = "0.1.0"

_API = ("load", "run", "map")


def __getattr__(name: str):
    # Loaded on first use, so that `summit --help` does not import pandas and the engine.
    if name in _API:
        return getattr(importlib.import_module("summit.api"), name)
    if name == "batch":  # the package, callable as the API's batch (summit/batch/__init__.py)
        return importlib.import_module("summit.batch")
    raise AttributeError(f"module 'summit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API, "batch"])

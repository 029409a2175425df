"""summit: a negotiation simulation of the June 2019 US-Israel-Russia summit in Jerusalem.

Layers, bottom up: ``scenario`` (load and validate TOML) -> ``params`` (sample a run's
parameters from its seed) -> ``rules`` (pure array functions: one rule set for every use) ->
``model`` (one run as a mesa.Model) and ``batch`` (many runs at once) -> front ends
(``cli``, ``tui``, ``report``).
"""

__version__ = "0.1.0"

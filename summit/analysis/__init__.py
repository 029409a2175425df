"""Analysis tools: answering the article's question with the model.

``reference`` (reference-point math: Pareto, Nash, Kalai-Smorodinsky, votes), ``negotiation``
(the reference points of a scenario at the start of a summit; ``distance_from_nash``), ``maps``
(an outcome over a grid of two parameters), ``sensitivity`` (Sobol' and Morris with SALib),
``backtest`` and ``conditions`` (historical cases and their records), ``runner`` (playing a
design of runs through the batch engine). See docs/analysis.md and docs/validation.md.
"""

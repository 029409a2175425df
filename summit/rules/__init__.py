"""The rules of summit: pure functions over arrays with a leading run axis.

Every function takes the compiled scenario (``Spec``) and arrays shaped ``(R, ...)`` for R runs,
and returns new arrays; none keeps hidden state or draws from a global generator. The mesa
model calls them with R = 1, the batch engine with R in the thousands: one rule set.

Modules follow MODEL.md's "One game": ``events`` (events and side offers), ``utility``
(valuing packages, delivery odds), ``offers`` (concession styles, proposals), ``responses``,
``implementation``, ``credibility``; ``game`` strings the phases together.
"""

"""Peer groups of 3–5: formation, exact small-instance solver, incremental repair.

Pure engine (no Django): :mod:`.model` holds the frozen inputs and outputs, :mod:`.rules` the
hard constraints and the score of one group, :mod:`.blocks` the partition of a population into
compatible blocks, :mod:`.search` the construction and local search inside a block,
:mod:`.formation` the entry point :func:`~.formation.form_groups`, :mod:`.exact` the CP-SAT
solver for small instances and :mod:`.repair` the fixing of groups after leavers / arrivals.
"""

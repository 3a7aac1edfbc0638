"""Mentor–mentee matching: compatibility, candidate pruning, exact assignment, suggestions.

Pure engine (no Django): :mod:`.model` holds the frozen inputs and outputs,
:mod:`.compatibility` the rules for one pair, :mod:`.candidates` the same rules vectorised
over a whole pool, :mod:`.assignment` the matching round (min-cost flow), :mod:`.suggest`
the top-k mentors for one mentee.
"""

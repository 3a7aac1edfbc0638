"""The planners `notifications_dispatch` runs before delivering: functions of the apps above
the outbox that put in it the messages now due (the meetings plan their reminders this way).

An app registers its planner from the module its `AppConfig.ready()` imports. A planner takes
no argument, is idempotent (running it twice creates nothing more) and returns how many rows
it created."""

from collections.abc import Callable

Planner = Callable[[], int]

_planners: list[Planner] = []


def register_planner(planner: Planner) -> Planner:
    """Run `planner` at every dispatch, in the order of registration. Usable as a decorator."""
    if planner not in _planners:
        _planners.append(planner)
    return planner


def planners() -> tuple[Planner, ...]:
    return tuple(_planners)


def planners_run() -> int:
    """Run every planner; the number of rows they created."""
    return sum(planner() for planner in _planners)

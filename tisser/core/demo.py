"""The registry of demo data (`manage.py seed_demo`, run by `make run`): each app seeds its
own part, from its `demo` module imported in its `AppConfig.ready()`.

`core` is the lowest layer and knows no other app. A seeder is `seed(demo: Demo) -> None`,
registered under a name with an `order` (lower runs first) and the names of the seeders whose
data it needs (`after`), checked when the demo runs: a seeder listed in `after` must be
registered and run earlier. Seeders share the `Demo` below: the organisation and its people
(filled by the accounts seeder, which runs first) and the lines printed at the end.
Every seeder is idempotent (safe to run twice) and writes through the services."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from tisser.core.enums import Role


@dataclass
class Demo:
    organisation: Any = None
    people: dict[Role, list[Any]] = field(default_factory=dict)
    # Parts of the first line ("23 comptes créés", …), one line per note, then the
    # identifiers printed last.
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    credentials: list[str] = field(default_factory=list)


Seeder = Callable[[Demo], None]


@dataclass(frozen=True)
class Entry:
    name: str
    order: int
    after: tuple[str, ...]
    seed: Seeder


_seeders: dict[str, Entry] = {}


def register(name: str, *, order: int, after: tuple[str, ...] = ()) -> Callable[[Seeder], Seeder]:
    """Decorator: `seed(demo)` adds the `name` part of the demo. `order` places it (leave
    gaps: 10, 20…); `after` names the seeders whose data it uses."""

    def decorator(seed: Seeder) -> Seeder:
        entry = Entry(name=name, order=order, after=tuple(after), seed=seed)
        if name in _seeders and _seeders[name] != entry:
            raise ImproperlyConfigured(f"Demo seeder {name!r} is registered twice.")
        _seeders[name] = entry
        return seed

    return decorator


def seeders() -> list[Entry]:
    """The registered seeders in the order they run; ImproperlyConfigured when one needs a
    seeder that is missing or runs later."""
    ordered = sorted(_seeders.values(), key=lambda entry: (entry.order, entry.name))
    position = {entry.name: index for index, entry in enumerate(ordered)}
    for index, entry in enumerate(ordered):
        for needed in entry.after:
            if needed not in position:
                raise ImproperlyConfigured(f"Demo seeder {entry.name!r} needs {needed!r}.")
            if position[needed] >= index:
                raise ImproperlyConfigured(
                    f"Demo seeder {entry.name!r} must run after {needed!r}: give it a higher order."
                )
    return ordered


def demo_seed() -> Demo:
    """Run every seeder in order on one shared `Demo`, and return it."""
    demo = Demo()
    for entry in seeders():
        entry.seed(demo)
    return demo

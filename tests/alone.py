"""Run test files each in a pytest process of its own: every file must pass alone.

Inside the full suite a file can lean on what an earlier file imported or left behind (a module
loaded before a frozen clock, a cache filled, a setting changed); run alone, it then fails or
crashes. `make test` runs a random sample of files this way (`--sample`), with the seed printed
so that a failure can be replayed; `python tests/alone.py` with no option runs every file.

    python tests/alone.py [--sample N] [--seed S] [--without-browser] [FILE ...]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def files_to_run(without_browser: bool) -> list[Path]:
    files = sorted((ROOT / "tests").rglob("test_*.py"))
    if without_browser:
        files = [f for f in files if "e2e" not in f.relative_to(ROOT).parts]
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="these files (default: all)")
    parser.add_argument("--sample", type=int, default=0, help="this many files, drawn at random")
    parser.add_argument("--seed", type=int, default=None, help="the draw's seed (default: random)")
    parser.add_argument("--without-browser", action="store_true", help="leave tests/e2e out")
    args = parser.parse_args(argv)

    files = [f.resolve() for f in args.files] or files_to_run(args.without_browser)
    if args.sample and args.sample < len(files):
        seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
        files = sorted(random.Random(seed).sample(files, args.sample))
        print(f"Each file alone: {args.sample} files drawn with --seed {seed}", flush=True)

    failed = []
    for path in files:
        name = path.relative_to(ROOT)
        start = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(name)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - start
        verdict = "ok" if run.returncode == 0 else f"FAILED (exit {run.returncode})"
        print(f"  {name}: {verdict} in {seconds:.0f} s", flush=True)
        if run.returncode != 0:
            failed.append(name)
            print(run.stdout[-4000:], run.stderr[-4000:], sep="\n", flush=True)
    print(f"Each file alone: {len(files) - len(failed)} files passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

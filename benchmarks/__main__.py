"""Run every benchmark module (or those named on the command line) and print the figures."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(names: list[str]) -> None:
    here = Path(__file__).parent
    modules = names or sorted(p.stem for p in here.glob("bench_*.py"))
    for name in modules:
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])

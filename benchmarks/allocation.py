"""Allocation benchmark: parse, greedy and MES with add-one completion against pabutools, same run.

    .venv/bin/python benchmarks/allocation.py [FILE.pb] [--reference] [--reference-timeout SECONDS]
    .venv/bin/python benchmarks/allocation.py [FILE.pb] --end-to-end [--repeat N]

With ``--end-to-end`` both sides run as a user runs them, as whole processes timed from start to exit:
``buurtbudget allocate FILE --rule mes`` (best of ``--repeat``) against a Python process that imports
pabutools, parses the file and runs its MES (once); the winners are compared. It also prints the
start-up of the command line (the slowest of a few commands' ``--help``, best of ``--repeat`` each),
the parse time of our reader and ``--rule mes-add1`` end to end.

Without ``--reference`` pabutools is only timed on parsing and greedy (its MES with add-one takes
about an hour on the default file); with it, pabutools' MES with add-one runs once in a child process,
capped by ``--reference-timeout`` seconds of its MES alone (its parsing is not counted): the printed
ratio is exact when it finishes, else a lower bound ("> N x") from the time it ran without finishing.
"""

import argparse
import json
import multiprocessing
import queue as queue_module
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

from buurtbudget.jury.allocation import Election, Outcome, equal_shares, greedy, read_pabulib  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "pabulib" / "large" / "poland_warszawa_2024_.pb"
PARSE_TIMEOUT = 600.0  # seconds for pabutools to import and parse in the child


def best_of(repeat: int, action: Callable[[], object]) -> tuple[float, float, object]:
    """Best wall time of ``repeat`` runs (noisy shared machine), the first (cold) one and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), times[0], result


Report = tuple[float, list[str]]  # pabutools' time for the rule and its winners; (-1, []) once parsed


def _reference_job(path: str, rule: str, queue: "multiprocessing.Queue[Report]") -> None:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    instance, profile = parse_pabulib(path)
    queue.put((-1.0, []))
    start = time.perf_counter()
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    else:
        outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
    queue.put((time.perf_counter() - start, sorted(p.name for p in outcome)))


def reference(path: Path, rule: str, timeout: float) -> tuple[float, list[str] | None]:
    """pabutools' time for ``rule`` (parsing excluded) and its winners.

    When the rule has not finished after ``timeout`` seconds, the child is stopped and the result is
    (seconds it ran, None): a lower bound of its time, measured from the moment it had parsed the file.
    """
    queue: multiprocessing.Queue[Report] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_reference_job, args=(str(path), rule, queue))
    child.start()
    try:
        queue.get(timeout=PARSE_TIMEOUT)  # the child has parsed the file
    except queue_module.Empty:
        child.terminate()
        raise SystemExit(f"pabutools did not parse {path.name} within {PARSE_TIMEOUT:.0f} s") from None
    start = time.perf_counter()
    try:
        elapsed, winners = queue.get(timeout=timeout)
    except queue_module.Empty:
        ran = time.perf_counter() - start
        child.terminate()
        child.join()
        return ran, None
    child.join()
    return elapsed, winners


def reference_parse(path: Path) -> float:
    from pabutools.election import parse_pabulib

    start = time.perf_counter()
    parse_pabulib(str(path))
    return time.perf_counter() - start


REFERENCE_PROCESS = """
import json, sys
from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import method_of_equal_shares
instance, profile = parse_pabulib(sys.argv[1])
outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
print(json.dumps(sorted(p.name for p in outcome)))
"""
STARTUP_COMMANDS = (
    ["--help"],
    ["allocate", "--help"],
    ["db", "upgrade", "--help"],
    ["round", "import", "--help"],
)


def timed_process(command: list[str]) -> tuple[float, str]:
    """Wall time of a whole process, start to exit, and what it printed."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return time.perf_counter() - start, done.stdout


def best_process(repeat: int, command: list[str]) -> tuple[float, str]:
    runs = [timed_process(command) for _ in range(repeat)]
    return min(t for t, _ in runs), runs[-1][1]


def import_time() -> float:
    """Seconds `import api.cli` takes by ``python -X importtime`` (its cumulative time)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import api.cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(row for row in reversed(done.stderr.splitlines()) if row.rstrip().endswith("| api.cli"))
    return int(line.split("|")[1]) / 1e6


def end_to_end(path: Path, repeat: int) -> None:
    """Both sides as whole processes: ``buurtbudget allocate`` against pabutools' parse plus MES."""
    script = str(Path(sys.executable).with_name("buurtbudget"))
    startup = max(best_process(repeat, [script, *args])[0] for args in STARTUP_COMMANDS)
    parse_time, _, _ = best_of(repeat, lambda: read_pabulib(path))
    ours, printed = best_process(repeat, [script, "allocate", str(path), "--rule", "mes"])
    add1, _ = best_process(repeat, [script, "allocate", str(path), "--rule", "mes-add1"])
    theirs, reference_printed = timed_process([sys.executable, "-c", REFERENCE_PROCESS, str(path)])
    same = sorted(json.loads(printed)["selected"]) == sorted(json.loads(reference_printed))
    print(f"file: {path.name} (end to end: process start to JSON printed)")
    print(
        f"mes end to end   ours {ours * 1000:7.1f} ms   pabutools (parse + MES) {theirs:6.1f} s   "
        f"ratio {theirs / ours:6.0f}x   (target >= 100x; same winners: {same})"
    )
    print(f"mes-add1 end to end   ours {add1 * 1000:7.1f} ms   (target < 1000 ms)")
    print(
        f"start-up   {startup * 1000:6.1f} ms   (slowest of {len(STARTUP_COMMANDS)} commands' --help, "
        f"whole process; import api.cli {import_time() * 1000:.1f} ms by -X importtime; target < 150 ms)"
    )
    print(f"parse (our reader, in process)   {parse_time * 1000:6.1f} ms   (target < 100 ms)")
    print(f"ours: best of {repeat} runs each; pabutools: one run")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--reference", action="store_true", help="also time pabutools' MES with add-one")
    parser.add_argument(
        "--reference-timeout", type=float, default=7200.0, help="cap for that MES (seconds, parsing excluded)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--end-to-end",
        action="store_true",
        help="time `buurtbudget allocate` and pabutools as whole processes",
    )
    args = parser.parse_args()
    if args.end_to_end:
        end_to_end(args.file, args.repeat)
        return

    parse_time, parse_cold, election = best_of(args.repeat, lambda: read_pabulib(args.file))
    if not isinstance(election, Election):
        raise SystemExit("could not read the file")
    print(f"file: {args.file.name}: {len(election.projects)} projects, {len(election.ballots)} voters")
    greedy_time, greedy_cold, _ = best_of(args.repeat, lambda: greedy(election))
    mes_time, mes_cold, mes_out = best_of(args.repeat, lambda: equal_shares(election, add_one=True))
    ref_parse = reference_parse(args.file)
    ref_greedy, _ = reference(args.file, "greedy", args.reference_timeout)
    print(
        f"parse        ours {parse_time * 1000:8.1f} ms   pabutools {ref_parse * 1000:9.1f} ms   "
        f"ratio {ref_parse / parse_time:7.1f}x   (target < 1000 ms; first run {parse_cold * 1000:.0f} ms)"
    )
    print(
        f"greedy       ours {greedy_time * 1000:8.1f} ms   pabutools {ref_greedy * 1000:9.1f} ms   "
        f"ratio {ref_greedy / greedy_time:7.1f}x   (target < 50 ms; first run {greedy_cold * 1000:.1f} ms)"
    )
    if not isinstance(mes_out, Outcome):
        raise SystemExit("no outcome")
    winners = sorted(mes_out.selected)
    if args.reference:
        ref_mes, ref_winners = reference(args.file, "mes-add1", args.reference_timeout)
        bound = "" if ref_winners is not None else "> "
        same = (
            "capped, winners not compared"
            if ref_winners is None
            else f"same winners: {ref_winners == winners}"
        )
        print(
            f"mes-add1     ours {mes_time * 1000:8.1f} ms   pabutools {bound}{ref_mes:8.1f} s    "
            f"ratio {bound}{ref_mes / mes_time:7.0f}x   (target >= 100x and < 1000 ms; {same})"
        )
    else:
        print(f"mes-add1     ours {mes_time * 1000:8.1f} ms   pabutools not timed (pass --reference)")
    print(
        f"mes-add1 selects {len(winners)} projects; our times are the best of {args.repeat} runs "
        f"(mes-add1 first run, numpy import included: {mes_cold * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()

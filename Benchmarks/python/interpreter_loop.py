"""CPython's side of the pure-interpreter benchmarks: the same loop, and the same 300,000 calls of a
function and of a method, at the top level, timed inside the process (start-up excluded), medians
of several runs, the call workloads alternating. Usage: python3 interpreter_loop.py [runs] [loop|calls|all]"""
import statistics
import sys
import time

LOOP = "s = 0\nfor i in range(1000000):\n    s += i\n"
DEFINITIONS = """
def sq(x):
    return x * x
class Squarer:
    def sq(self, x):
        return x * x
squarer = Squarer()
"""
CALLS = [
    ("function sq(i)", "s = 0\nfor i in range(300000):\n    s += sq(i)\n"),
    ("method squarer.sq(i)", "s = 0\nfor i in range(300000):\n    s += squarer.sq(i)\n"),
]
runs = max(int(sys.argv[1]) if len(sys.argv) > 1 else 5, 5)
workload = sys.argv[2] if len(sys.argv) > 2 else "all"


def timed(code, scope):
    start = time.perf_counter()
    exec(code, scope)
    return time.perf_counter() - start


if workload in ("loop", "all"):
    code = compile(LOOP, "loop", "exec")
    times = [timed(code, {}) for _ in range(runs)]
    print(f"CPython {sys.version.split()[0]} pure loop, 1,000,000 iterations: median {statistics.median(times) * 1e3:.1f} ms "
          f"({statistics.median(times) * 1e3:.0f} ns per iteration), fastest {min(times) * 1e3:.1f} ms")
if workload in ("calls", "all"):
    scope = {}
    exec(DEFINITIONS, scope)
    codes = [compile(source, name, "exec") for name, source in CALLS]
    times = [[] for _ in CALLS]
    for _ in range(runs):
        for index, code in enumerate(codes):
            times[index].append(timed(code, scope))
    for (name, _), measured in zip(CALLS, times):
        print(f"CPython {sys.version.split()[0]} {name}, 300,000 calls: median {statistics.median(measured) * 1e3:.1f} ms "
              f"({statistics.median(measured) * 1e9 / 300000:.0f} ns per call), fastest {min(measured) * 1e3:.1f} ms")

"""CPython's side of the pure-interpreter benchmark: the same loop at the top level, timed inside
the process (start-up excluded), median of several runs. Usage: python3 interpreter_loop.py [runs]"""
import statistics
import sys
import time

SOURCE = "s = 0\nfor i in range(1000000):\n    s += i\n"
code = compile(SOURCE, "loop", "exec")
times = []
for _ in range(max(int(sys.argv[1]) if len(sys.argv) > 1 else 5, 5)):
    start = time.perf_counter()
    exec(code, {})
    times.append(time.perf_counter() - start)
print(f"CPython {sys.version.split()[0]} pure loop, 1,000,000 iterations: median {statistics.median(times) * 1e3:.1f} ms "
      f"({statistics.median(times) * 1e3:.0f} ns per iteration), fastest {min(times) * 1e3:.1f} ms")

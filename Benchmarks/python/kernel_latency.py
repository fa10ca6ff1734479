"""Round-trip latency of a Jupyter kernel, measured with jupyter_client as a front end sees it:
kernel_info (request → reply) and a trivial execute (`1 + 1`, request → reply and idle status).
Usage: python3 Benchmarks/python/kernel_latency.py [kernel names…] (default: tensorbook python3)."""
import queue
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel

ROUNDS = 300


def execute_round_trip(kc, code):
    msg_id = kc.execute(code)
    reply_seen = idle_seen = False
    while not (reply_seen and idle_seen):
        if not reply_seen:
            try:
                reply = kc.get_shell_msg(timeout=0.001)
                reply_seen = reply["parent_header"].get("msg_id") == msg_id
            except queue.Empty:
                pass
        if not idle_seen:
            try:
                msg = kc.get_iopub_msg(timeout=0.001)
                idle_seen = (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                             and msg["content"]["execution_state"] == "idle")
            except queue.Empty:
                pass


def measure(kernel_name):
    km, kc = start_new_kernel(kernel_name=kernel_name)
    try:
        for _ in range(20):  # warm up both sides
            kc.kernel_info(reply=True)
            execute_round_trip(kc, "1 + 1")
        info, execute = [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            kc.kernel_info(reply=True, timeout=10)
            info.append(time.perf_counter() - start)
            start = time.perf_counter()
            execute_round_trip(kc, "1 + 1")
            execute.append(time.perf_counter() - start)
        return info, execute
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def summary(samples):
    ordered = sorted(samples)
    return f"median {statistics.median(ordered) * 1000:6.2f} ms   p90 {ordered[int(len(ordered) * 0.9)] * 1000:6.2f} ms"


if __name__ == "__main__":
    for name in sys.argv[1:] or ["tensorbook", "python3"]:
        info, execute = measure(name)
        print(f"{name:>10}  kernel_info  {summary(info)}")
        print(f"{name:>10}  execute 1+1  {summary(execute)}")

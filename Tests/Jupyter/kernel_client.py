"""Helpers for driving the tensorbook kernel through jupyter_client in the behaviour tests."""
import queue
import time
import unittest

from jupyter_client.manager import start_new_kernel

TIMEOUT = 120


def start():
    """A running tensorbook kernel and a client connected to it."""
    return start_new_kernel(kernel_name="tensorbook", startup_timeout=60)


def collect(kc, msg_id, timeout=TIMEOUT):
    """Every iopub message answering msg_id, up to its idle status."""
    messages = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
        messages.append(msg)
    raise AssertionError(f"no idle status for {msg_id} within {timeout} s")


def execute(kc, code, timeout=TIMEOUT, **options):
    """Runs code; returns (reply content, iopub messages other than status)."""
    msg_id = kc.execute(code, **options)
    reply = shell_reply(kc, msg_id, timeout)
    messages = [m for m in collect(kc, msg_id, timeout) if m["msg_type"] != "status"]
    return reply["content"], messages


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    """The shell reply whose parent is msg_id (skipping any others)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            reply = kc.get_shell_msg(timeout=1)
        except queue.Empty:
            continue
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply
    raise AssertionError(f"no shell reply for {msg_id} within {timeout} s")


def text_of(messages):
    """Plain text of the outputs: streams, displays, results and error tracebacks."""
    parts = []
    for m in messages:
        c = m["content"]
        if m["msg_type"] == "stream":
            parts.append(c["text"])
        elif m["msg_type"] in ("display_data", "update_display_data", "execute_result"):
            parts.append(c["data"].get("text/plain", "") + "\n")
        elif m["msg_type"] == "error":
            parts.append("\n".join(c["traceback"]) + "\n")
    return "".join(parts)


class KernelTestCase(unittest.TestCase):
    """A test class with one tensorbook kernel (`km`) and client (`kc`) for all its tests."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start()

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

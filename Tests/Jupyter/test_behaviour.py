"""The tensorbook kernel under a real jupyter_client: outputs as front ends expect them, training
progress as one updated display, interrupts, and bad input that must never end the kernel."""
import base64
import json
import os
import signal
import subprocess
import tempfile
import time
import unittest

import zmq
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.session import Session

from kernel_client import KernelTestCase, collect, execute, shell_reply, text_of

TENSORBOOK = KernelSpecManager().get_kernel_spec("tensorbook").argv[0]


class Outputs(KernelTestCase):
    """What a cell shows, in the message types Jupyter front ends render."""

    def test_only_the_last_value_is_the_execute_result(self):
        reply, messages = execute(self.kc, "x = 1\nx\nprint(\"between\")\nx + 1")
        self.assertEqual(reply["status"], "ok")
        kinds = [(m["msg_type"], m["content"].get("data", {}).get("text/plain", m["content"].get("text"))) for m in messages]
        self.assertEqual(kinds, [("execute_input", None), ("stream", "1\n"), ("stream", "between\n"), ("execute_result", "2")])
        self.assertEqual(messages[-1]["content"]["execution_count"], reply["execution_count"])

    def test_tables_are_html_and_pictures_are_png(self):
        _, messages = execute(self.kc, "show sequential(flatten, linear(784, 10))")
        table = next(m for m in messages if m["msg_type"] == "display_data")["content"]["data"]
        self.assertIn("<table>", table["text/html"])
        self.assertIn("linear(784, 10)", table["text/plain"])
        _, messages = execute(self.kc, "show mnist.test[0:3]")
        picture = next(m for m in messages if m["msg_type"] == "display_data")["content"]["data"]
        self.assertEqual(base64.b64decode(picture["image/png"])[:8], b"\x89PNG\r\n\x1a\n")
        self.assertIn("mnist.test[0:3]", picture["text/plain"])

    def test_silent_runs_show_nothing_and_do_not_count(self):
        before, _ = execute(self.kc, "0")
        reply, messages = execute(self.kc, 'print("quiet")\n5', silent=True)
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(messages, [])
        after, _ = execute(self.kc, "0")
        self.assertEqual(after["execution_count"], before["execution_count"] + 1)

    def test_errors_carry_our_diagnostic(self):
        reply, messages = execute(self.kc, "tensor([1, 2]) + tensor([1, 2, 3])")
        self.assertEqual(reply["status"], "error")
        error = next(m for m in messages if m["msg_type"] == "error")["content"]
        self.assertIn("cannot be broadcast", error["evalue"])
        self.assertTrue(any("hint:" in line for line in error["traceback"]))

    def test_a_failed_cell_aborts_the_cells_queued_after_it(self):
        # The failing cell runs a while, so the second is queued behind it, as with "Run All".
        first = self.kc.execute("i = 0\nwhile i < 300000:\n    i = i + 1\nundefined_before_abort")
        second = self.kc.execute("ran_after_abort = 1")
        self.assertEqual(shell_reply(self.kc, first)["content"]["status"], "error")
        self.assertEqual(shell_reply(self.kc, second)["content"]["status"], "aborted")
        reply, _ = execute(self.kc, "ran_after_abort")
        self.assertEqual(reply["status"], "error")

    def test_training_progress_is_one_display_updated_in_place(self):
        execute(self.kc, "seed 0\nm = sequential(flatten, linear(784, 10))")
        started = time.time()
        reply, messages = execute(self.kc, "h = train m on mnist epochs 3 batch 600")
        elapsed = time.time() - started
        self.assertEqual(reply["status"], "ok")
        displays = [m for m in messages if m["msg_type"] in ("display_data", "update_display_data")]
        self.assertEqual(displays[0]["msg_type"], "display_data")
        self.assertTrue(all(m["msg_type"] == "update_display_data" for m in displays[1:]))
        ids = {m["content"]["transient"]["display_id"] for m in displays}
        self.assertEqual(len(ids), 1)
        # At most two redraws a second, plus one per epoch and the last: nothing floods iopub.
        self.assertLessEqual(len(displays), 2 * elapsed + 3 + 2)
        final = displays[-1]["content"]["data"]["text/plain"].splitlines()
        self.assertEqual([line.split("  ")[0] for line in final], ["epoch 1/3", "epoch 2/3", "epoch 3/3"])


class Inspection(KernelTestCase):
    """Shift-Tab (inspect_request) shows the help of the name at the cursor, or of the call it is in."""

    def inspect(self, code, cursor=None):
        msg_id = self.kc.inspect(code, len(code) if cursor is None else cursor)
        return shell_reply(self.kc, msg_id)["content"]

    def test_inside_a_call_the_function_is_found(self):
        for code, function in (("x = relu(", "relu"), ("y = adam(m, lr: ", "adam"), ("z = max(relu(a), ", "max")):
            reply = self.inspect(code)
            self.assertTrue(reply["found"], code)
            self.assertIn(function, reply["data"]["text/plain"].split("\n")[0], code)
        self.assertIn("relu", self.inspect("z = max(relu(a", 14)["data"]["text/plain"].split("\n")[0])

    def test_outside_any_call_nothing_is_found(self):
        self.assertFalse(self.inspect("x = (1 + 2) ")["found"])


class Interrupts(KernelTestCase):
    """Jupyter's stop button (interrupt_request on control) and SIGINT stop the cell, not the kernel."""

    def test_interrupt_while_idle_changes_nothing(self):
        self.km.interrupt_kernel()
        time.sleep(0.3)
        reply, messages = execute(self.kc, "1 + 1")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(text_of(messages), "2\n")

    def test_interrupt_stops_training_and_keeps_the_model(self):
        execute(self.kc, "seed 0\nmodel = sequential(flatten, linear(784, 10))")
        msg_id = self.kc.execute("h = train model on mnist epochs 50 batch 100")
        while True:  # wait until training has started
            msg = self.kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "display_data":
                break
        queued = self.kc.execute("h2 = train model on mnist epochs 50 batch 100")  # Run All's next cell
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id)
        messages = collect(self.kc, msg_id)
        output = text_of(messages)
        self.assertEqual(reply["content"]["status"], "error")  # so Run All stops, as ipykernel's
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        self.assertIn("stopped by an interrupt from Jupyter", output)
        self.assertNotIn({"text/plain": ""}, [m["content"].get("data") for m in messages])
        self.assertEqual(shell_reply(self.kc, queued)["content"]["status"], "aborted")
        reply, messages = execute(self.kc, "evaluate model on mnist")
        self.assertEqual(reply["status"], "ok")
        self.assertIn("accuracy", text_of(messages))

    def test_sigint_stops_an_endless_loop(self):
        msg_id = self.kc.execute("i = 0\nwhile true:\n    i = i + 1")
        time.sleep(1.0)
        self.km.signal_kernel(signal.SIGINT)
        reply = shell_reply(self.kc, msg_id)["content"]
        collect(self.kc, msg_id)
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "KeyboardInterrupt")
        reply, messages = execute(self.kc, "i > 0")
        self.assertEqual(text_of(messages), "true\n")

    def test_restart_gives_a_fresh_session(self):
        execute(self.kc, "kept_until_restart = 1")
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=60)
        reply, _ = execute(self.kc, "kept_until_restart")
        self.assertEqual(reply["status"], "error")
        reply, messages = execute(self.kc, "2 * 3")
        self.assertEqual(text_of(messages), "6\n")


class BadInput(KernelTestCase):
    """Messages and clients that misbehave: the kernel answers or drops them and keeps running."""

    def assert_alive(self):
        reply, messages = execute(self.kc, "40 + 2")
        self.assertEqual(text_of(messages), "42\n")

    def assert_no_shell_reply(self, msg_id):
        with self.assertRaises(AssertionError):
            shell_reply(self.kc, msg_id, timeout=1.5)

    def test_unknown_message_type_is_logged_not_answered(self):
        message = self.kc.session.msg("no_such_request", {})
        self.kc.shell_channel.send(message)
        self.assert_no_shell_reply(message["header"]["msg_id"])  # as ipykernel and xeus
        self.assert_alive()

    def test_a_widget_comm_to_an_unknown_target_is_closed(self):
        message = self.kc.session.msg("comm_open", {"comm_id": "c0ffee", "target_name": "jupyter.widget", "data": {}})
        self.kc.shell_channel.send(message)
        closes = [m for m in collect(self.kc, message["header"]["msg_id"]) if m["msg_type"] == "comm_close"]
        self.assertEqual([m["content"]["comm_id"] for m in closes], ["c0ffee"])
        self.assert_no_shell_reply(message["header"]["msg_id"])
        for kind in ("comm_msg", "comm_close"):
            other = self.kc.session.msg(kind, {"comm_id": "c0ffee", "data": {}})
            self.kc.shell_channel.send(other)
            self.assert_no_shell_reply(other["header"]["msg_id"])
        self.assert_alive()

    def test_a_wrongly_signed_message_is_dropped_unexecuted(self):
        info = self.km.get_connection_info()
        forger = Session(key=b"not the connection key", signature_scheme="hmac-sha256")
        socket = zmq.Context.instance().socket(zmq.DEALER)
        socket.connect(f"tcp://{info['ip']}:{info['shell_port']}")
        forger.send(socket, "execute_request", {"code": "forged = 1", "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        self.assertEqual(socket.poll(1500), 0, "a reply came to a forged message")
        socket.close(linger=0)
        reply, messages = execute(self.kc, "forged")
        self.assertEqual(reply["status"], "error")
        self.assertIn("unknown name 'forged'", reply["evalue"])

    def test_a_front_end_that_disappears_mid_execution(self):
        execute(self.kc, "seed 0\nleft = sequential(flatten, linear(784, 10))")
        gone = self.km.client(session=Session(key=self.km.session.key))  # a second front end, its own session
        gone.start_channels()
        msg_id = gone.execute("h = train left on mnist epochs 2 batch 600")
        while True:  # training has started and its progress is being published to this client
            msg = gone.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "display_data":
                break
        gone.stop_channels()
        self.kc.wait_for_ready(timeout=120)
        reply, messages = execute(self.kc, "h")
        self.assertEqual(reply["status"], "ok")
        self.assertIn("epoch 2/2", text_of(messages))

    def test_garbage_frames_are_ignored(self):
        info = self.km.get_connection_info()
        socket = zmq.Context.instance().socket(zmq.DEALER)
        socket.connect(f"tcp://{info['ip']}:{info['shell_port']}")
        socket.send_multipart([b"<IDS|MSG>", b"x", b"{", b"}"])
        socket.send_multipart([b"no delimiter at all"])
        time.sleep(0.5)
        socket.close(linger=0)
        self.assert_alive()


class HostileInput(KernelTestCase):
    """Input built to overflow the stack or flood the output is an error reply, and the kernel lives on
    (issue 33: a 20,000-term sum or a 100k-deep index ended the kernel silently; a 4 KB line of $ sent 25 MB)."""

    def assert_error_and_alive(self, code, expected):
        reply, messages = execute(self.kc, code)
        self.assertEqual(reply["status"], "error")
        error = next(m for m in messages if m["msg_type"] == "error")["content"]
        self.assertIn(expected, error["evalue"] + "\n".join(error["traceback"]))
        after, outputs = execute(self.kc, "print(6 * 7)")
        self.assertEqual(after["status"], "ok")
        self.assertIn("42", text_of(outputs))
        return messages

    def test_deep_expressions_are_errors(self):
        self.assert_error_and_alive("x = " + "+".join(["1"] * 20000), "chains more than 1000 operations")
        self.assert_error_and_alive("x = [1]\ny = x" + "[0]" * 100000, "chains more than 1000 operations")
        self.assert_error_and_alive("y = x" + ".foo" * 100000, "chains more than 1000 operations")

    def test_deep_values_are_released_or_refused(self):
        reply, _ = execute(self.kc, "x = [1]\nfor i in range(50000):\n    x = [x]\nx = 0")
        self.assertEqual(reply["status"], "ok")
        self.assert_error_and_alive("t = (1,)\nfor i in range(100000):\n    t = (t,)", "tuples nest more than 1000 deep")

    def test_a_line_of_errors_is_a_short_reply(self):
        messages = self.assert_error_and_alive("$" * 4096, "more errors (on line 1) not shown")
        self.assertLess(len(json.dumps([m["content"] for m in messages])), 20000)


class ConnectionFiles(unittest.TestCase):
    """A kernel started with a bad connection file says what is wrong and exits (exit code 64)."""

    def start_with(self, path):
        result = subprocess.run([TENSORBOOK, "kernel", "--connection-file", path], capture_output=True, text=True, timeout=30)
        return result.returncode, result.stderr

    def test_missing_file(self):
        code, stderr = self.start_with("/nonexistent/kernel-missing.json")
        self.assertEqual(code, 64)
        self.assertIn("does not exist", stderr)
        self.assertIn("hint:", stderr)

    def test_malformed_files(self):
        for text, expected in [("{not json", "not a JSON object"), (json.dumps({"shell_port": 1}), '"iopub_port"'),
                               (json.dumps({"shell_port": "x"}), '"shell_port"')]:
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
                file.write(text)
            try:
                code, stderr = self.start_with(file.name)
                self.assertEqual(code, 64, stderr)
                self.assertIn(expected, stderr)
            finally:
                os.unlink(file.name)

    def test_unreadable_file(self):
        # A directory in its place cannot be read, even by root (a chmod 000 file can).
        with tempfile.TemporaryDirectory() as directory:
            code, stderr = self.start_with(directory)
            self.assertEqual(code, 64)
            self.assertIn("cannot be read", stderr)


if __name__ == "__main__":
    unittest.main()

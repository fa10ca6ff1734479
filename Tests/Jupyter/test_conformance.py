"""The Jupyter project's own kernel conformance suite (jupyter_kernel_test) against the installed
tensorbook kernel, with a real sample for every feature it checks."""
import unittest

import jupyter_kernel_test


class TensorbookKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "tensorbook"
    language_name = "tensorbook"
    file_extension = ".tb"

    code_hello_world = 'print("hello, world")'
    # Giving a builtin's name a new meaning is allowed with a warning; warnings go to stderr.
    code_stderr = "len = 3\ndel len"

    completion_samples = [
        {"text": "pri", "matches": {"print"}},
        {"text": "zero", "matches": {"zeros"}},
        {"text": "mnist.", "matches": {"classes", "count", "shape", "test", "train", "vocab"}},
        {"text": "x = tensor([1.0, 2.0]).", "matches": set()},  # completion never evaluates a call
        {"text": "train model on mnist ep", "matches": {"epochs"}},
        {"text": "train model on mnist epochs 1 optimizer ad", "matches": {"adam", "adamw"}},
    ]
    complete_code_samples = ["1 + 1", 'print("hello")', "x = tensor([1, 2])", "for i in range(3):\n    print(i)\n"]
    incomplete_code_samples = ["for i in range(3):", "x = (1 +", "def f(x):\n    return x", 'print("no end']
    invalid_code_samples = ["x = )", "1 +* 2", "train model on"]

    code_page_something = "relu?"
    code_generate_error = "undefined_name_here"

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "tensor([1, 2]) * 2", "result": "tensor([2., 4.])"},
        {"code": "len([1, 2, 3])", "result": "3"},
    ]
    code_display_data = [
        {"code": "show mnist.test[0:3]", "mime": "image/png"},
        {"code": "show sequential(flatten, linear(784, 10))", "mime": "text/html"},
    ]

    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "relu"
    code_clear_output = 'print("before")\nclear\nprint("after")'


class TensorbookIopubWelcomeTests(jupyter_kernel_test.IopubWelcomeTests):
    kernel_name = "tensorbook"
    support_iopub_welcome = True


if __name__ == "__main__":
    unittest.main()

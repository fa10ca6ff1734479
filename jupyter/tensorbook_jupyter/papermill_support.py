"""papermill parameters for tensorbook notebooks.

papermill writes the values given with -p as a new cell after the cell tagged `parameters`
(a `.nb` cell fenced `nb parameters`), in the notebook kernel's language. This module teaches it
tensorbook's literals: `epochs_to_train = 1`, `name = "text"`, `flag = true`, `sizes = [1, 2]`.
papermill 2.7 has no plug-in point for translators, but it imports every `papermill.engine`
entry point when it starts: this package declares `TensorbookEngine` (papermill's own nbclient
engine under another name) there, so importing papermill registers the translator and plain

    papermill lesson.ipynb out.ipynb -p epochs_to_train 1

works once `make deps` (pip install ./jupyter) has installed the package.
"""
import math

from papermill.engines import NBClientEngine
from papermill.translators import Translator, papermill_translators


class TensorbookTranslator(Translator):
    """Python values as tensorbook literals."""

    @classmethod
    def translate_none(cls, val):
        return "none"

    @classmethod
    def translate_bool(cls, val):
        return "true" if val else "false"

    @classmethod
    def translate_escaped_str(cls, str_val):
        escaped = str_val.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return f'"{escaped}"'

    @classmethod
    def translate_float(cls, val):
        if math.isfinite(val):
            return repr(val)
        raise ValueError(f"tensorbook has no literal for {val}")

    @classmethod
    def translate_dict(cls, val):
        raise ValueError("tensorbook has no dictionaries: pass each entry as its own parameter")

    @classmethod
    def translate_list(cls, val):
        return "[" + ", ".join(cls.translate(item) for item in val) + "]"

    @classmethod
    def comment(cls, cmt_str):
        return f"# {cmt_str}".strip()

    @classmethod
    def assign(cls, name, str_val):
        return f"{name} = {str_val}"


class TensorbookEngine(NBClientEngine):
    """papermill's default engine; declared so that papermill imports this module at start."""


papermill_translators.register("tensorbook", TensorbookTranslator)

"""tensorbook for the Python side of Jupyter: `lexer.TensorbookLexer` (Pygments, name
`tensorbook`) and `papermill_support` (papermill's -p values as tensorbook literals)."""
__version__ = "0.1.0"

"""Deep Learning Playground: the ML core.

Pure torch / transformers / peft / numpy. Nothing here imports a UI or plotting
library, so every experiment can run from a script, a test, a benchmark or the
command line (``python -m playground ...``).
"""

__version__ = "0.1.0"

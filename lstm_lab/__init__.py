"""The machinery behind extensions.py and paper.py.

Importing the package sets TensorFlow's quiet defaults and picks its backend,
before anything imports TensorFlow or Keras: every module and program of the
project imports the package first, so no module needs its own copy.

- TensorFlow prints start-up notices (a oneDNN notice, CPU feature hints) that
  bury a table; `TF_CPP_MIN_LOG_LEVEL=2` silences them. oneDNN's custom
  operations are turned off, which also makes results reproducible across CPUs
  with different instruction sets. A value the user has set wins.
- Keras loads its backend on first import and fails there, with a traceback,
  when it is unknown. The package records what was asked for and loads
  TensorFlow, the one backend the project supports, so that
  `checks.check_backend` can refuse anything else with one clear line.
"""

import logging
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
REQUESTED_BACKEND = os.environ.get("KERAS_BACKEND", "tensorflow")
os.environ["KERAS_BACKEND"] = "tensorflow"

# The trainers compile a function per shape on purpose (stack sizes, sequence
# lengths, judging batches), and TensorFlow would warn on stderr about each such
# retracing. Its warnings go through this logger.
logging.getLogger("tensorflow").setLevel(logging.ERROR)

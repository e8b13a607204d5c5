"""The machinery behind lstm_memory.py, extensions.py and paper.py.

Importing the package imports the tutorial first: `lstm_memory` sets
TensorFlow's quiet logging defaults and picks the TensorFlow backend, and it
must do so before TensorFlow is imported. Doing it here, once, serves every
module of the package.
"""

import logging

import lstm_memory  # noqa: F401

# The trainers compile a function per shape on purpose (stack sizes, sequence
# lengths, check batches), and TensorFlow would warn on stderr about each such
# retracing. Its warnings go through this logger.
logging.getLogger("tensorflow").setLevel(logging.ERROR)

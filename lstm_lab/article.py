"""The article's facts, the package's own copy.

The tutorial, `lstm_memory.py`, is meant to be read and copied alone, so it
imports nothing from the package and the package imports nothing from it.
These are the facts both need; tests/unit/test_article_facts.py checks that
they are the tutorial's.
"""

SEQ1 = (3, 0, 1, 2, 3)
SEQ2 = (4, 0, 1, 2, 4)
N_UNIQUE = len(set(SEQ1 + SEQ2))  # the alphabet, 0..4
DEFAULT_SEED = 0
DEFAULT_EPOCHS = 250
DEFAULT_UNITS = 20
LEARNING_RATE = 0.001  # Keras's Adam default, which the article used

# What changed between the article's Keras 2.0 and Keras 3: the activation of
# the LSTM's gates and Adam's epsilon (`--numerics`). The gates by name;
# `tf_ops.numerics` maps each name to its function.
NUMERICS = {"keras3": ("sigmoid", 1e-7), "keras2": ("hard_sigmoid_keras2", 1e-8)}

"""Right and wrong answers for lesson 10 · Debugging training (nbgrader round trip, visible catch rate).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, replacement source
        [, a phrase the visible message must contain])
RIGHT: (answer cell grade_id, description, replacement source)

A fix is a dict of settings (runs 1, 2, 3, 5, 6) or a repaired function (runs 4 and 7). The wrong
fixes are the plausible ones: a setting that cannot cure the cause, a fix that still diverges, one
that overshoots into a stalling run, the right setting plus an unrelated one, a symptom treated
instead of the cause, and, for the functions, the axis and shuffling mistakes.
"""

WRONG = [
    # ---- run 1: learning rate 10
    ("fix_lr_too_high", "test_fix_lr_too_high", "learning rate lowered to 5: still diverges",
     'FIX_LR_TOO_HIGH = {"learning_rate": 5.0}\n', "still too large"),
    ("fix_lr_too_high", "test_fix_lr_too_high", "learning rate lowered to 1e-3: overshoots into a stalling run",
     'FIX_LR_TOO_HIGH = {"learning_rate": 1e-3}\n', "overshoots the other way"),
    ("fix_lr_too_high", "test_fix_lr_too_high", "learning rate 1.5: no margin, does not train from seed 0",
     'FIX_LR_TOO_HIGH = {"learning_rate": 1.5}\n', "still too large"),
    ("fix_lr_too_high", "test_fix_lr_too_high", "momentum switched off instead (wrong setting)",
     'FIX_LR_TOO_HIGH = {"momentum": 0.0}\n', "does not touch the cause"),
    ("fix_lr_too_high", "test_fix_lr_too_high", "gradient clipping instead of a smaller learning rate",
     'FIX_LR_TOO_HIGH = {"clip_norm": 1.0}\n', "does not touch the cause"),
    ("fix_lr_too_high", "test_fix_lr_too_high", "right learning rate plus an unrelated change of momentum",
     'FIX_LR_TOO_HIGH = {"learning_rate": 0.1, "momentum": 0.5}\n', "but also"),
    ("fix_lr_too_high", "test_fix_lr_too_high", "learning rate as a string",
     'FIX_LR_TOO_HIGH = {"learning_rate": "0.1"}\n', "positive number"),
    # ---- run 2: zero init
    ("fix_zero_init", "test_fix_zero_init", "constant non-zero init: the units stay symmetric",
     'FIX_ZERO_INIT = {"init": "constant", "init_scale": 0.1}\n', "symmetry"),
    ("fix_zero_init", "test_fix_zero_init", "a larger learning rate (wrong setting)",
     'FIX_ZERO_INIT = {"learning_rate": 1.0}\n', "does not touch the cause"),
    ("fix_zero_init", "test_fix_zero_init", "normal init with the default std 0.01: learns too slowly",
     'FIX_ZERO_INIT = {"init": "normal"}\n', "learns slowly"),
    ("fix_zero_init", "test_fix_zero_init", "only init_scale changed: the weights still start at zero",
     'FIX_ZERO_INIT = {"init_scale": 0.5}\n', "keeps init = 'zeros'"),
    # ---- run 3: unscaled features
    ("fix_unscaled_features", "test_fix_unscaled_features", "a tiny learning rate instead of scaling",
     'FIX_UNSCALED_FEATURES = {"learning_rate": 1e-4}\n', "does not touch the cause"),
    ("fix_unscaled_features", "test_fix_unscaled_features", "Adam instead of scaling",
     'FIX_UNSCALED_FEATURES = {"optimizer": "adam"}\n', "does not touch the cause"),
    ("fix_unscaled_features", "test_fix_unscaled_features", "standardize plus an unrelated learning-rate change",
     'FIX_UNSCALED_FEATURES = {"standardize": True, "learning_rate": 0.01}\n', "but also"),
    ("fix_unscaled_features", "test_fix_unscaled_features", "tries to change the data's units",
     'FIX_UNSCALED_FEATURES = {"feature_scale": (1.0, 0.001)}\n', "not a setting"),
    # ---- run 4: softmax over the wrong axis
    ("fixed_softmax_loss", "test_fixed_softmax_loss", "only the sum moved to axis 1: the max is still per column", '''\
def fixed_softmax_loss(scores, y):
    scores = np.asarray(scores, dtype=float)
    N = scores.shape[0]
    shifted = scores - scores.max(axis=0, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1.0
    return float(loss), dscores / N
''', "maximum of each COLUMN"),
    ("fixed_softmax_loss", "test_fixed_softmax_loss", "axis 1 without keepdims: shapes do not broadcast", '''\
def fixed_softmax_loss(scores, y):
    scores = np.asarray(scores, dtype=float)
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1.0
    return float(loss), dscores / N
''', "keepdims"),
    ("fixed_softmax_loss", "test_fixed_softmax_loss", "the buggy function copied unchanged", '''\
def fixed_softmax_loss(scores, y):
    scores = np.asarray(scores, dtype=float)
    N = scores.shape[0]
    shifted = scores - scores.max(axis=0, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=0, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1.0
    return float(loss), dscores / N
''', "buggy value"),
    ("fixed_softmax_loss", "test_fixed_softmax_loss", "stabilizing shift dropped: overflows", '''\
def fixed_softmax_loss(scores, y):
    scores = np.asarray(scores, dtype=float)
    N = scores.shape[0]
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1.0
    return float(loss), dscores / N
''', "overflows"),
    ("fixed_softmax_loss", "test_fixed_softmax_loss", "shifts the scores in place", '''\
def fixed_softmax_loss(scores, y):
    N = scores.shape[0]
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1.0
    return float(loss), dscores / N
''', "in place"),
    ("fixed_softmax_loss", "test_fixed_softmax_loss", "imports the package's reference loss", '''\
from dlcourse.layers import softmax_cross_entropy as fixed_softmax_loss
''', "reference"),
    # ---- run 5: dead ReLUs
    ("fix_dead_relus", "test_fix_dead_relus", "bias_init -1: still most units dead at the start",
     'FIX_DEAD_RELUS = {"bias_init": -1.0}\n', "still dead"),
    ("fix_dead_relus", "test_fix_dead_relus", "leaky ReLU: treats the symptom, the run crawls",
     'FIX_DEAD_RELUS = {"activation": "leaky_relu"}\n', "symptom"),
    ("fix_dead_relus", "test_fix_dead_relus", "a larger learning rate (wrong setting)",
     'FIX_DEAD_RELUS = {"learning_rate": 1.0}\n', "does not touch the cause"),
    ("fix_dead_relus", "test_fix_dead_relus", "repeats the broken value: changes nothing",
     'FIX_DEAD_RELUS = {"bias_init": -3}\n', "changes nothing"),
    # ---- run 6: exploding activations and gradients
    ("fix_exploding_gradients", "test_fix_exploding_gradients", "gradient clipping only: the forward pass still explodes",
     'FIX_EXPLODING_GRADIENTS = {"clip_norm": 5.0}\n', "clipping keeps each step bounded"),
    ("fix_exploding_gradients", "test_fix_exploding_gradients", "a smaller learning rate (wrong setting)",
     'FIX_EXPLODING_GRADIENTS = {"learning_rate": 1e-4}\n', "does not touch the cause"),
    ("fix_exploding_gradients", "test_fix_exploding_gradients", "weights far too small: vanishing instead",
     'FIX_EXPLODING_GRADIENTS = {"init_scale": 0.01}\n', "too small"),
    ("fix_exploding_gradients", "test_fix_exploding_gradients", "makes the network shallow (wrong setting)",
     'FIX_EXPLODING_GRADIENTS = {"hidden": (64,)}\n', "does not touch the cause"),
    # ---- run 7: labels shuffled separately
    ("shuffle_together", "test_shuffle_together", "two permutations, as in the bug", '''\
def shuffle_together(X, y, rng):
    return X[rng.permutation(len(X))], y[rng.permutation(len(y))]
''', "no longer match"),
    ("shuffle_together", "test_shuffle_together", "rng.shuffle in place on both arrays", '''\
def shuffle_together(X, y, rng):
    rng.shuffle(X)
    rng.shuffle(y)
    return X, y
''', "in place"),
    ("shuffle_together", "test_shuffle_together", "shuffles X only", '''\
def shuffle_together(X, y, rng):
    order = rng.permutation(len(X))
    return X[order], y
''', "no longer match"),
    ("shuffle_together", "test_shuffle_together", "no shuffle at all", '''\
def shuffle_together(X, y, rng):
    return X.copy(), y.copy()
''', "original order"),
    ("shuffle_together", "test_shuffle_together", "global np.random instead of rng: not reproducible", '''\
def shuffle_together(X, y, rng):
    order = np.random.permutation(len(X))
    return X[order], y[order]
''', "cannot be repeated"),
    ("shuffle_together", "test_shuffle_together", "samples with replacement", '''\
def shuffle_together(X, y, rng):
    order = rng.integers(0, len(X), size=len(X))
    return X[order], y[order]
''', "appear twice"),
]

RIGHT = [
    ("fix_lr_too_high", "a smaller rate, 0.05", 'FIX_LR_TOO_HIGH = {"learning_rate": 0.05}\n'),
    ("fix_lr_too_high", "the whole broken config copied with a new rate", '''\
FIX_LR_TOO_HIGH = dict(debugging.BROKEN_RUNS["lr_too_high"])
FIX_LR_TOO_HIGH["learning_rate"] = 0.3
'''),
    ("fix_zero_init", "xavier", 'FIX_ZERO_INIT = {"init": "xavier"}\n'),
    ("fix_zero_init", "normal with std 0.1", 'FIX_ZERO_INIT = {"init": "normal", "init_scale": 0.1}\n'),
    ("fix_unscaled_features", "standardize written with dict()", 'FIX_UNSCALED_FEATURES = dict(standardize=True)\n'),
    ("fixed_softmax_loss", "log-softmax form with axis=-1", '''\
def fixed_softmax_loss(scores, y):
    z = scores - np.max(scores, axis=-1, keepdims=True)
    log_p = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    n = len(y)
    d = np.exp(log_p)
    d[np.arange(n), y] -= 1
    return -log_p[np.arange(n), y].mean(), d / n
'''),
    ("fix_dead_relus", "a small positive bias", 'FIX_DEAD_RELUS = {"bias_init": 0.01}\n'),
    ("fix_dead_relus", "bias 0 as an integer", 'FIX_DEAD_RELUS = {"bias_init": 0}\n'),
    ("fix_exploding_gradients", "xavier", 'FIX_EXPLODING_GRADIENTS = {"init": "xavier"}\n'),
    ("fix_exploding_gradients", "He init plus clipping", 'FIX_EXPLODING_GRADIENTS = {"init": "he", "clip_norm": 5.0}\n'),
    ("fix_exploding_gradients", "normal with the He std for fan-in 64", 'FIX_EXPLODING_GRADIENTS = {"init_scale": (2 / 64) ** 0.5}\n'),
    ("shuffle_together", "take() with one order", '''\
def shuffle_together(X, y, rng):
    idx = rng.permutation(X.shape[0])
    return np.take(X, idx, axis=0), np.take(y, idx)
'''),
    ("shuffle_together", "rng.choice without replacement", '''\
def shuffle_together(X, y, rng):
    order = rng.choice(len(y), size=len(y), replace=False)
    return X[order].copy(), y[order].copy()
'''),
]

VISIBLE_MISSES = {}

"""Right and wrong answers for lesson 10 · Debugging training (nbgrader round trip, visible catch rate).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, replacement source
        [, a phrase the visible message must contain])
RIGHT: (answer cell grade_id, description, replacement source)

The runs have neutral names: A zero init, B learning rate 10, C unscaled features, D labels shuffled
apart from their inputs, E dead ReLUs, F softmax over the batch, G exploding activations. A fix is a
dict of settings (runs A, B, C, E, G) or a repaired function (`shuffle_together` for D,
`fixed_softmax_loss` for F). The wrong fixes are the plausible ones: a setting that cannot cure the
cause, a fix that still diverges, one that overshoots into a stalling run, the right setting plus an
unrelated one, a symptom treated instead of the cause, a fix that trains while the cause is still
half there (biases still negative, activations still growing from layer to layer), and, for the
functions, the axis and shuffling mistakes (a reversal or a roll is not a shuffle; an order that
ignores rng). `diagnose(stats)` names a run's cause from its numbers; its wrong answers include one
that memorizes the lesson's runs, which the visible test cannot tell from a right answer (the
exercise says so): it loses its points in the hidden test, on new runs.

Entries that passed every test before lesson 10's diagnosis rework (issue 12, section 3): FIX_E
with bias_init -0.5, FIX_G with init_scale 0.3 (with or without clipping), the reversed, rolled,
fixed-seed and two-row-swap shuffles; misleading before (message about another setting than the one
changed): FIX_E with tanh, FIX_G with init_scale 0.7.
"""

WRONG = [
    # ---- run B: learning rate 10
    ("fix_run_b", "test_fix_run_b", "learning rate lowered to 5: still diverges",
     'FIX_B = {"learning_rate": 5.0}\n', "still too large"),
    ("fix_run_b", "test_fix_run_b", "learning rate lowered to 1e-3: overshoots into a stalling run",
     'FIX_B = {"learning_rate": 1e-3}\n', "overshoots the other way"),
    ("fix_run_b", "test_fix_run_b", "learning rate 1.5: no margin, does not train from seed 0",
     'FIX_B = {"learning_rate": 1.5}\n', "still too large"),
    ("fix_run_b", "test_fix_run_b", "momentum switched off instead (wrong setting)",
     'FIX_B = {"momentum": 0.0}\n', "does not touch the cause"),
    ("fix_run_b", "test_fix_run_b", "gradient clipping instead of a smaller learning rate",
     'FIX_B = {"clip_norm": 1.0}\n', "does not touch the cause"),
    ("fix_run_b", "test_fix_run_b", "right learning rate plus an unrelated change of momentum",
     'FIX_B = {"learning_rate": 0.1, "momentum": 0.5}\n', "but also"),
    ("fix_run_b", "test_fix_run_b", "learning rate as a string",
     'FIX_B = {"learning_rate": "0.1"}\n', "positive number"),
    # ---- run A: zero init
    ("fix_run_a", "test_fix_run_a", "constant non-zero init: the units stay symmetric",
     'FIX_A = {"init": "constant", "init_scale": 0.1}\n', "symmetry"),
    ("fix_run_a", "test_fix_run_a", "a larger learning rate (wrong setting)",
     'FIX_A = {"learning_rate": 1.0}\n', "does not touch the cause"),
    ("fix_run_a", "test_fix_run_a", "normal init with the default std 0.01: learns too slowly",
     'FIX_A = {"init": "normal"}\n', "learns slowly"),
    ("fix_run_a", "test_fix_run_a", "only init_scale changed: the weights still start at zero",
     'FIX_A = {"init_scale": 0.5}\n', "keeps init = 'zeros'"),
    # ---- run C: unscaled features
    ("fix_run_c", "test_fix_run_c", "a tiny learning rate instead of scaling",
     'FIX_C = {"learning_rate": 1e-4}\n', "does not touch the cause"),
    ("fix_run_c", "test_fix_run_c", "Adam instead of scaling",
     'FIX_C = {"optimizer": "adam"}\n', "does not touch the cause"),
    ("fix_run_c", "test_fix_run_c", "standardize plus an unrelated learning-rate change",
     'FIX_C = {"standardize": True, "learning_rate": 0.01}\n', "but also"),
    ("fix_run_c", "test_fix_run_c", "tries to change the data's units",
     'FIX_C = {"feature_scale": (1.0, 0.001)}\n', "not a setting"),
    # ---- run F: softmax over the wrong axis
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
    # ---- run E: dead ReLUs
    ("fix_run_e", "test_fix_run_e", "bias_init -1: still most units dead at the start",
     'FIX_E = {"bias_init": -1.0}\n', "still negative"),
    ("fix_run_e", "test_fix_run_e", "leaky ReLU: treats the symptom, the run crawls",
     'FIX_E = {"activation": "leaky_relu"}\n', "symptom"),
    ("fix_run_e", "test_fix_run_e", "a larger learning rate (wrong setting)",
     'FIX_E = {"learning_rate": 1.0}\n', "does not touch the cause"),
    ("fix_run_e", "test_fix_run_e", "repeats the broken value: changes nothing",
     'FIX_E = {"bias_init": -3}\n', "changes nothing"),
    # ---- run G: exploding activations and gradients
    ("fix_run_g", "test_fix_run_g", "gradient clipping only: the forward pass still explodes",
     'FIX_G = {"clip_norm": 5.0}\n', "keeps each step bounded"),
    ("fix_run_g", "test_fix_run_g", "a smaller learning rate (wrong setting)",
     'FIX_G = {"learning_rate": 1e-4}\n', "does not touch the cause"),
    ("fix_run_g", "test_fix_run_g", "weights far too small: vanishing instead",
     'FIX_G = {"init_scale": 0.01}\n', "too small"),
    ("fix_run_g", "test_fix_run_g", "makes the network shallow (wrong setting)",
     'FIX_G = {"hidden": (64,)}\n', "does not touch the cause"),
    # ---- run D: labels shuffled separately
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
    # ---- issue 12 section 3: fixes that train while the cause is half there, messages about the setting changed
    ("fix_run_e", "test_fix_run_e", "bias_init -0.5: trains, but the biases stay negative",
     'FIX_E = {"bias_init": -0.5}\n', "still negative"),
    ("fix_run_e", "test_fix_run_e", "bias_init -0.05: barely negative",
     'FIX_E = {"bias_init": -0.05}\n', "still negative"),
    ("fix_run_e", "test_fix_run_e", "tanh instead of ReLU: trains, but changes the network instead of the cause",
     'FIX_E = {"activation": "tanh"}\n', "activation = 'tanh' changes the network"),
    ("fix_run_g", "test_fix_run_g", "init_scale 0.3: trains, but the activations still grow 21-fold",
     'FIX_G = {"init_scale": 0.3}\n', "still grow"),
    ("fix_run_g", "test_fix_run_g", "init_scale 0.3 with clipping: clipping does not shrink the forward pass",
     'FIX_G = {"init_scale": 0.3, "clip_norm": 1.0}\n', "clip_norm = 1 only bounds the steps"),
    ("fix_run_g", "test_fix_run_g", "init_scale 0.7: still far too large (the message speaks of init_scale)",
     'FIX_G = {"init_scale": 0.7}\n', "init_scale = 0.7"),
    ("shuffle_together", "test_shuffle_together", "reversal: not a shuffle (and the same order for every seed)", """\
def shuffle_together(X, y, rng):
    return X[::-1].copy(), y[::-1].copy()
""", "reversed"),
    ("shuffle_together", "test_shuffle_together", "a roll by a random amount: neighbours stay together", """\
def shuffle_together(X, y, rng):
    k = int(rng.integers(1, len(X)))
    return np.roll(X, k, axis=0), np.roll(y, k)
""", "roll"),
    ("shuffle_together", "test_shuffle_together", "a generator of its own with a fixed seed: ignores rng", """\
def shuffle_together(X, y, rng):
    order = np.random.default_rng(42).permutation(len(X))
    return X[order], y[order]
""", "does not come from rng"),
    ("shuffle_together", "test_shuffle_together", "swaps two random rows only", """\
def shuffle_together(X, y, rng):
    order = np.arange(len(X))
    i, j = rng.choice(len(X), size=2, replace=False)
    order[i], order[j] = order[j], order[i]
    return X[order], y[order]
""", "rows in place"),
    # ---- the course's reference, by every route (the guard)
    ("shuffle_together", "test_shuffle_together", "a wrapper around the package's shuffle", """\
def shuffle_together(X, y, rng):
    return debugging.reference_shuffle(X, y, rng)
""", "uses the course's reference"),
    ("shuffle_together", "test_shuffle_together", "an alias of the package's shuffle", """\
shuffle_together = debugging.reference_shuffle
""", "uses the course's reference"),
    ("shuffle_together", "test_shuffle_together", "functools.partial of the package's shuffle", """\
import functools
shuffle_together = functools.partial(debugging.reference_shuffle)
""", "uses the course's reference"),
    ("shuffle_together", "test_shuffle_together", "imports the package's shuffle inside the function", """\
def shuffle_together(X, y, rng):
    from dlcourse.debugging import reference_shuffle
    return reference_shuffle(X, y, rng)
""", "uses the course's reference"),
    ("shuffle_together", "test_shuffle_together", "imports the package's shuffle under another name", """\
from dlcourse.debugging import reference_shuffle as _mix
def shuffle_together(X, y, rng):
    return _mix(X, y, rng)
""", "uses the course's reference"),
    ("fixed_softmax_loss", "test_fixed_softmax_loss", "a wrapper around the course's softmax cross-entropy", """\
from dlcourse import layers
def fixed_softmax_loss(scores, y):
    return layers.softmax_cross_entropy(scores, y)
""", "uses the course's reference"),
    ("fixed_softmax_loss", "test_fixed_softmax_loss", "functools.partial of the course's loss", """\
import functools
from dlcourse import layers
fixed_softmax_loss = functools.partial(layers.softmax_cross_entropy)
""", "uses the course's reference"),
    ("fixed_softmax_loss", "test_fixed_softmax_loss", "imports the course's loss inside the function", """\
def fixed_softmax_loss(scores, y):
    from dlcourse.layers import softmax_cross_entropy
    return softmax_cross_entropy(scores, y)
""", "uses the course's reference"),
    ("fixed_softmax_loss", "test_fixed_softmax_loss", "imports the course's loss under another name", """\
from dlcourse.layers import softmax_cross_entropy as _xent
def fixed_softmax_loss(scores, y):
    return _xent(scores, y)
""", "uses the course's reference"),
    # ---- diagnose
    ("diagnose", "test_diagnose", "always 'healthy'", """\
def diagnose(stats):
    return "healthy"
""", "not its cause"),
    ("diagnose", "test_diagnose", "returns the cause's description instead of its name", """\
def diagnose(stats):
    if stats["losses"][0] > 1000:
        return debugging.CAUSES["input_scale"]
    return debugging.CAUSES["healthy"]
""", "one of the named causes"),
    ("diagnose", "test_diagnose", "reads the dead units before the spread of the pre-activations: zero init looks dead", """\
def diagnose(stats):
    classes, batch = stats["classes"], stats["batch_size"]
    losses = np.asarray(stats["losses"], dtype=float)
    hidden = list(stats["act_std"])
    if stats["dead_fraction"][hidden[0]][0] >= 0.9:
        return "dead_relu"
    if all(g[0] == 0 for g in stats["grad_norms"].values()):
        return "zero_init"
    s, m = np.asarray(stats["inputs_std"]), np.abs(np.asarray(stats["inputs_mean"]))
    if s.max() > 20 * s.min() or m.max() > 10 * s.min():
        return "input_scale"
    if len(hidden) > 1 and stats["act_std"][hidden[-1]][0] > 8 * stats["act_std"][hidden[0]][0]:
        return "weight_scale"
    if abs(losses[0] - np.log(batch)) < abs(losses[0] - np.log(classes)):
        return "loss_axis"
    if not np.all(np.isfinite(losses[:10])) or losses[:10].max() > losses[0] + 1:
        return "learning_rate"
    if np.mean(losses[-len(losses) // 10:]) > 0.85 * np.log(classes):
        return "label_mismatch"
    return "healthy"
""", "Run A"),
    ("diagnose", "test_diagnose", "the lesson's layer names: a second hidden layer read without checking it exists", """\
def diagnose(stats):
    if stats["act_std"]["h2"][0] > 8 * stats["act_std"]["h1"][0]:
        return "weight_scale"
    return "healthy"
""", "KeyError"),
    ("diagnose", "test_diagnose", "memorizes the lesson's runs by their first loss (the visible test cannot tell)", """\
def diagnose(stats):
    first = round(float(stats["losses"][0]), 2)
    known = {1.13: "healthy", 1.1: "zero_init", 3282.06: "input_scale", 1.28: "label_mismatch",
             3.97: "loss_axis", 7095.12: "weight_scale"}
    if first == 1.1 and stats["preact_std"]["h1"][0] > 0:
        return "dead_relu"
    if first == 1.13 and stats["losses"][:5].max() > 10:
        return "learning_rate"
    return known.get(first, "healthy")
"""),
    ("diagnose", "test_diagnose", "recognizes exploding activations by the lesson's depth only", """\
def diagnose(stats):
    classes, batch = stats["classes"], stats["batch_size"]
    losses = np.asarray(stats["losses"], dtype=float)
    hidden = list(stats["act_std"])
    if all(g[0] == 0 for g in stats["grad_norms"].values()) and stats["preact_std"][hidden[0]][0] == 0:
        return "zero_init"
    if stats["dead_fraction"][hidden[0]][0] >= 0.9:
        return "dead_relu"
    s, m = np.asarray(stats["inputs_std"]), np.abs(np.asarray(stats["inputs_mean"]))
    if s.max() > 20 * s.min() or m.max() > 10 * s.min():
        return "input_scale"
    if len(hidden) == 6:
        return "weight_scale"
    if abs(losses[0] - np.log(batch)) < abs(losses[0] - np.log(classes)):
        return "loss_axis"
    if not np.all(np.isfinite(losses[:10])) or losses[:10].max() > losses[0] + 1:
        return "learning_rate"
    if np.mean(losses[-len(losses) // 10:]) > 0.85 * np.log(classes):
        return "label_mismatch"
    return "healthy"
"""),
    ("diagnose", "test_diagnose", "a wrapper around the package's diagnosis", """\
def diagnose(stats):
    return debugging.reference_diagnose(stats)
""", "uses the course's reference"),
    ("diagnose", "test_diagnose", "an alias of the package's diagnosis", """\
diagnose = debugging.reference_diagnose
""", "uses the course's reference"),
    ("diagnose", "test_diagnose", "functools.partial of the package's diagnosis", """\
import functools
diagnose = functools.partial(debugging.reference_diagnose)
""", "uses the course's reference"),
    ("diagnose", "test_diagnose", "imports the package's diagnosis inside the function", """\
def diagnose(stats):
    from dlcourse.debugging import reference_diagnose
    return reference_diagnose(stats)
""", "uses the course's reference"),
    ("diagnose", "test_diagnose", "imports the package's diagnosis under another name", """\
from dlcourse.debugging import reference_diagnose as _doctor
def diagnose(stats):
    return _doctor(stats)
""", "uses the course's reference"),
]

RIGHT = [
    ("fix_run_b", "a smaller rate, 0.05", 'FIX_B = {"learning_rate": 0.05}\n'),
    ("fix_run_b", "the whole broken config copied with a new rate", '''\
FIX_B = dict(debugging.BROKEN_RUNS["B"])
FIX_B["learning_rate"] = 0.3
'''),
    ("fix_run_a", "xavier", 'FIX_A = {"init": "xavier"}\n'),
    ("fix_run_a", "normal with std 0.1", 'FIX_A = {"init": "normal", "init_scale": 0.1}\n'),
    ("fix_run_c", "standardize written with dict()", 'FIX_C = dict(standardize=True)\n'),
    ("fixed_softmax_loss", "log-softmax form with axis=-1", '''\
def fixed_softmax_loss(scores, y):
    z = scores - np.max(scores, axis=-1, keepdims=True)
    log_p = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    n = len(y)
    d = np.exp(log_p)
    d[np.arange(n), y] -= 1
    return -log_p[np.arange(n), y].mean(), d / n
'''),
    ("fix_run_e", "a small positive bias", 'FIX_E = {"bias_init": 0.01}\n'),
    ("fix_run_e", "bias 0 as an integer", 'FIX_E = {"bias_init": 0}\n'),
    ("fix_run_g", "xavier", 'FIX_G = {"init": "xavier"}\n'),
    ("fix_run_g", "He init plus clipping", 'FIX_G = {"init": "he", "clip_norm": 5.0}\n'),
    ("fix_run_g", "normal with the He std for fan-in 64", 'FIX_G = {"init_scale": (2 / 64) ** 0.5}\n'),
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
    ("fix_run_g", "init_scale 0.2, near the He scale for fan-in 64", 'FIX_G = {"init_scale": 0.2}\n'),
    ("fix_run_e", "a positive bias of 0.1", 'FIX_E = {"bias_init": 0.1}\n'),
    ("shuffle_together", "argsort of uniform numbers from rng", """\
def shuffle_together(X, y, rng):
    order = np.argsort(rng.random(len(y)))
    return X[order], y[order]
"""),
    ("shuffle_together", "rng.shuffle on an index array (not on the data)", """\
def shuffle_together(X, y, rng):
    idx = np.arange(len(X))
    rng.shuffle(idx)
    return X[idx], y[idx]
"""),
    ("diagnose", "other thresholds, accuracy instead of loss for the labels, zero gradients split by the spread", """\
def diagnose(stats):
    C, B = stats["classes"], stats["batch_size"]
    loss = np.asarray(stats["losses"], dtype=float)
    names = sorted(stats["act_std"], key=lambda k: int(k[1:]))
    first, last = names[0], names[-1]
    if all(g[0] == 0 for g in stats["grad_norms"].values()):
        return "zero_init" if stats["preact_std"][first][0] == 0 else "dead_relu"
    if stats["dead_fraction"][first][0] > 0.8:
        return "dead_relu"
    std, mean = np.asarray(stats["inputs_std"]), np.asarray(stats["inputs_mean"])
    if std.max() / std.min() > 10 or np.abs(mean).max() > 5 * std.min():
        return "input_scale"
    if stats["act_std"][last][0] > 5 * stats["act_std"][first][0]:
        return "weight_scale"
    if loss[0] > (np.log(C) + np.log(B)) / 2:
        return "loss_axis"
    start = loss[:20]
    big_step = max(r[0] for r in stats["update_ratios"].values()) > 0.3
    if big_step or not np.isfinite(start).all() or start.max() > 2 * loss[0]:
        return "learning_rate"
    if stats["accuracy"][-1] < 1 / C + 0.15:
        return "label_mismatch"
    return "healthy"
"""),
]

VISIBLE_MISSES = {
    "memorizes the lesson's runs by their first loss (the visible test cannot tell)":
        "by design: the visible test judges diagnose on the lesson's runs only; the hidden test judges it on the "
        "mystery runs and new runs (the exercise says so)",
    "recognizes exploding activations by the lesson's depth only":
        "by design: only runs of other depths (the mystery run, new runs) show it, and only the hidden test judges those",
}

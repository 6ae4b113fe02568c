"""Right and wrong answers for lesson 07 · Training deep networks (nbgrader round trip, visible tests).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, replacement
        source[, a phrase the visible test's message must contain])
RIGHT: (answer cell grade_id, description, replacement source)
VISIBLE_MISSES: {description: reason} for wrong answers only the hidden tests catch (none here).

A replacement source replaces the whole answer cell; the notebook's imports cell (numpy as np)
has already run.

The entries after "issue 12" were run against the tests before the checks of issue 12 (commit 86819af):
silent before (✔ and full points): both PyTorch momentum conventions, the five routes to the course's
reference except the alias; hidden only before (✔, then 0 points): "min(1, max_norm / norm) divides by a
zero norm" (a bare ZeroDivisionError in the hidden test); flagged with a misleading message before: the
copied column and the copied row of he_init (reported as a wrong mean or standard deviation, not as
symmetry), clipping by value (reported as clipping by each gradient's own norm), Adam's epsilon-hat form
(a generic value mismatch). The batchnorm_backward that changes its cache was already caught.
"""

# ----------------------------------------------------------------------------- helpers


def _rule(name: str, body: str) -> str:
    return f"def {name}(w, dw, config=None):\n" + body


_BN_FORWARD_HEAD = "def batchnorm_forward(x, gamma, beta, bn_param):\n"
_BN_BACKWARD_HEAD = "def batchnorm_backward(dout, cache):\n"
_CLIP_HEAD = "def clip_by_global_norm(grads, max_norm):\n"

_BN_FORWARD_SETUP = '''\
    mode = bn_param["mode"]
    eps = bn_param.setdefault("eps", 1e-5)
    momentum = bn_param.setdefault("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.setdefault("running_mean", np.zeros(D))
    running_var = bn_param.setdefault("running_var", np.ones(D))
'''


def _bn_forward(train: str, test: str = '''\
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, None
''', head: str = _BN_FORWARD_SETUP) -> str:
    return _BN_FORWARD_HEAD + head + '    if mode == "train":\n' + train + "    else:\n" + test


_BN_TRAIN_OK = '''\
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = (x - mu) * inv_std
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
        return gamma * x_hat + beta, (x_hat, gamma, inv_std)
'''

_BN_BACKWARD_OK = '''\
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, dgamma, dbeta
'''

_MOMENTUM_DEFAULTS = '''\
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity")
    if v is None:
        v = np.zeros_like(w)
'''

_RMSPROP_DEFAULTS = '''\
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache")
    if cache is None:
        cache = np.zeros_like(w)
    lr, rho, eps = config["learning_rate"], config["decay_rate"], config["epsilon"]
'''

_ADAM_DEFAULTS = '''\
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("t", 0)
    m = config.get("m")
    v = config.get("v")
    m = np.zeros_like(w) if m is None else m
    v = np.zeros_like(w) if v is None else v
    lr, b1, b2, eps = config["learning_rate"], config["beta1"], config["beta2"], config["epsilon"]
'''

WRONG = [
    # ---------------------------------------------------------------- he_init
    ("he_init", "test_he_init", "Xavier scale 1/sqrt(fan_in)", '''\
def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, 1.0 / np.sqrt(fan_in), size=(fan_in, fan_out))
''', "LeCun"),
    ("he_init", "test_he_init", "scale sqrt(2 / fan_out)", '''\
def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_in, fan_out))
''', "fan_out"),
    ("he_init", "test_he_init", "Glorot scale sqrt(2 / (fan_in + fan_out))", '''\
def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))
''', "Glorot"),
    ("he_init", "test_he_init", "shape transposed (fan_out, fan_in)", '''\
def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
''', "transposed"),
    ("he_init", "test_he_init", "ignores rng: np.random.randn", '''\
def he_init(fan_in, fan_out, rng):
    return np.random.randn(fan_in, fan_out) * np.sqrt(2.0 / fan_in)
''', "same seed"),
    ("he_init", "test_he_init", "ignores rng: a fixed generator of its own", '''\
def he_init(fan_in, fan_out, rng):
    own = np.random.default_rng(0)
    return own.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
''', "ignores `rng`"),
    ("he_init", "test_he_init", "variance 2/fan_in used as the standard deviation", '''\
def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out))
''', "VARIANCE"),
    ("he_init", "test_he_init", "integer division 2 // fan_in: all weights 0", '''\
def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2 // fan_in), size=(fan_in, fan_out))
''', "integer division"),
    ("he_init", "test_he_init", "uniform on [0, a) with the right spread but mean a / 2", '''\
def he_init(fan_in, fan_out, rng):
    a = np.sqrt(24.0 / fan_in)
    return rng.uniform(0.0, a, size=(fan_in, fan_out))
''', "centred at 0"),
    # ---------------------------------------------------------------- sgd_momentum
    ("sgd_momentum", "test_sgd_momentum", "sign flipped: v = mu v + lr dw, w + v", _rule("sgd_momentum", _MOMENTUM_DEFAULTS + '''\
    v = config["momentum"] * v + config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config
'''), "sign is flipped"),
    ("sgd_momentum", "test_sgd_momentum", "velocity not stored in config", _rule("sgd_momentum", _MOMENTUM_DEFAULTS + '''\
    v = config["momentum"] * v - config["learning_rate"] * dw
    return w + v, config
'''), "'velocity'"),
    ("sgd_momentum", "test_sgd_momentum", "mutates w in place (w += v)", _rule("sgd_momentum", _MOMENTUM_DEFAULTS + '''\
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    w += v
    return w, config
'''), "in place"),
    ("sgd_momentum", "test_sgd_momentum", "no defaults when config is None", _rule("sgd_momentum", '''\
    v = config.get("velocity", np.zeros_like(w))
    v = config.get("momentum", 0.9) * v - config.get("learning_rate", 1e-2) * dw
    config["velocity"] = v
    return w + v, config
'''), "None"),
    ("sgd_momentum", "test_sgd_momentum", "defaults only when config is None, not for missing keys", _rule("sgd_momentum", '''\
    if config is None:
        config = {"learning_rate": 1e-2, "momentum": 0.9}
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config
'''), "KeyError"),
    ("sgd_momentum", "test_sgd_momentum", "ignores the stored velocity (plain SGD)", _rule("sgd_momentum", _MOMENTUM_DEFAULTS + '''\
    v = -config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config
'''), "ignored the velocity"),
    ("sgd_momentum", "test_sgd_momentum", "the other convention: v = mu v + dw, w - lr v", _rule("sgd_momentum", _MOMENTUM_DEFAULTS + '''\
    v = config["momentum"] * v + dw
    config["velocity"] = v
    return w - config["learning_rate"] * v, config
'''), "other convention"),
    ("sgd_momentum", "test_sgd_momentum", "default momentum 0.99", _rule("sgd_momentum", '''\
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.99)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config
'''), "default is 0.9"),
    # ---------------------------------------------------------------- rmsprop
    ("rmsprop", "test_rmsprop", "no square root", _rule("rmsprop", _RMSPROP_DEFAULTS + '''\
    cache = rho * cache + (1 - rho) * dw ** 2
    config["cache"] = cache
    return w - lr * dw / (cache + eps), config
'''), "square root is missing"),
    ("rmsprop", "test_rmsprop", "epsilon inside the square root", _rule("rmsprop", _RMSPROP_DEFAULTS + '''\
    cache = rho * cache + (1 - rho) * dw ** 2
    config["cache"] = cache
    return w - lr * dw / np.sqrt(cache + eps), config
'''), "inside the square root"),
    ("rmsprop", "test_rmsprop", "cache averages dw, not dw**2", _rule("rmsprop", _RMSPROP_DEFAULTS + '''\
    cache = rho * cache + (1 - rho) * dw
    config["cache"] = cache
    return w - lr * dw / (np.sqrt(np.abs(cache)) + eps), config
'''), "SQUARED"),
    ("rmsprop", "test_rmsprop", "decay_rate and 1 - decay_rate swapped", _rule("rmsprop", _RMSPROP_DEFAULTS + '''\
    cache = (1 - rho) * cache + rho * dw ** 2
    config["cache"] = cache
    return w - lr * dw / (np.sqrt(cache) + eps), config
'''), "swapped"),
    ("rmsprop", "test_rmsprop", "Adagrad's cache += dw**2", _rule("rmsprop", _RMSPROP_DEFAULTS + '''\
    cache = cache + dw ** 2
    config["cache"] = cache
    return w - lr * dw / (np.sqrt(cache) + eps), config
'''), "Adagrad"),
    ("rmsprop", "test_rmsprop", "cache not stored in config", _rule("rmsprop", _RMSPROP_DEFAULTS + '''\
    cache = rho * cache + (1 - rho) * dw ** 2
    return w - lr * dw / (np.sqrt(cache) + eps), config
'''), "'cache'"),
    ("rmsprop", "test_rmsprop", "divides by the old cache", _rule("rmsprop", _RMSPROP_DEFAULTS + '''\
    step = lr * dw / (np.sqrt(cache) + eps)
    config["cache"] = rho * cache + (1 - rho) * dw ** 2
    return w - step, config
'''), "OLD cache"),
    ("rmsprop", "test_rmsprop", "no defaults when config is None", _rule("rmsprop", '''\
    cache = config.get("cache", np.zeros_like(w))
    rho = config.get("decay_rate", 0.99)
    cache = rho * cache + (1 - rho) * dw ** 2
    config["cache"] = cache
    return w - config.get("learning_rate", 1e-2) * dw / (np.sqrt(cache) + config.get("epsilon", 1e-8)), config
'''), "None"),
    ("rmsprop", "test_rmsprop", "hard-coded decay_rate 0.99", _rule("rmsprop", _RMSPROP_DEFAULTS + '''\
    cache = 0.99 * cache + 0.01 * dw ** 2
    config["cache"] = cache
    return w - lr * dw / (np.sqrt(cache) + eps), config
''')),
    # ---------------------------------------------------------------- adam
    ("adam", "test_adam", "no bias correction", _rule("adam", _ADAM_DEFAULTS + '''\
    config["t"] += 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw ** 2
    config["m"], config["v"] = m, v
    return w - lr * m / (np.sqrt(v) + eps), config
'''), "bias correction is missing"),
    ("adam", "test_adam", "t incremented after the bias correction", _rule("adam", _ADAM_DEFAULTS + '''\
    t = config["t"]
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw ** 2
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    config["m"], config["v"], config["t"] = m, v, t + 1
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), config
'''), "old step count"),
    ("adam", "test_adam", "no defaults when config is None", _rule("adam", '''\
    lr, b1, b2, eps = (config.get(k, d) for k, d in
                       [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)])
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw ** 2
    config.update(m=m, v=v, t=t)
    return w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps), config
'''), "None"),
    ("adam", "test_adam", "beta1 and beta2 swapped", _rule("adam", _ADAM_DEFAULTS + '''\
    config["t"] += 1
    t = config["t"]
    m = b2 * m + (1 - b2) * dw
    v = b1 * v + (1 - b1) * dw ** 2
    config["m"], config["v"] = m, v
    return w - lr * (m / (1 - b2 ** t)) / (np.sqrt(v / (1 - b1 ** t)) + eps), config
'''), "swapped"),
    ("adam", "test_adam", "stores the corrected m_hat and v_hat as the state", _rule("adam", _ADAM_DEFAULTS + '''\
    config["t"] += 1
    t = config["t"]
    m = (b1 * m + (1 - b1) * dw) / (1 - b1 ** t)
    v = (b2 * v + (1 - b2) * dw ** 2) / (1 - b2 ** t)
    config["m"], config["v"] = m, v
    return w - lr * m / (np.sqrt(v) + eps), config
'''), "config['m']"),
    ("adam", "test_adam", "t not stored in config", _rule("adam", _ADAM_DEFAULTS + '''\
    t = config["t"] + 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw ** 2
    config["m"], config["v"] = m, v
    return w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps), config
'''), "config['t']"),
    ("adam", "test_adam", "v averages dw, not dw**2", _rule("adam", _ADAM_DEFAULTS + '''\
    config["t"] += 1
    t = config["t"]
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw
    config["m"], config["v"] = m, v
    return w - lr * (m / (1 - b1 ** t)) / (np.sqrt(np.abs(v / (1 - b2 ** t))) + eps), config
'''), "SQUARED"),
    ("adam", "test_adam", "only m bias-corrected", _rule("adam", _ADAM_DEFAULTS + '''\
    config["t"] += 1
    t = config["t"]
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw ** 2
    config["m"], config["v"] = m, v
    return w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v) + eps), config
'''), "only m"),
    ("adam", "test_adam", "epsilon inside the square root", _rule("adam", _ADAM_DEFAULTS + '''\
    config["t"] += 1
    t = config["t"]
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw ** 2
    config["m"], config["v"] = m, v
    return w - lr * (m / (1 - b1 ** t)) / np.sqrt(v / (1 - b2 ** t) + eps), config
'''), "inside the square root"),
    # ---------------------------------------------------------------- batchnorm_forward
    ("batchnorm_forward", "test_batchnorm_forward", "unbiased variance (ddof=1)", _bn_forward(
        _BN_TRAIN_OK.replace("var = x.var(axis=0)", "var = x.var(axis=0, ddof=1)")), "unbiased"),
    ("batchnorm_forward", "test_batchnorm_forward", "eps forgotten", _bn_forward(
        _BN_TRAIN_OK.replace("inv_std = 1.0 / np.sqrt(var + eps)", "inv_std = 1.0 / np.sqrt(var)")), "eps is missing"),
    ("batchnorm_forward", "test_batchnorm_forward", "test mode normalizes with the batch statistics", _bn_forward(
        _BN_TRAIN_OK, '''\
        x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
        return gamma * x_hat + beta, None
'''), "test mode used the statistics"),
    ("batchnorm_forward", "test_batchnorm_forward", "running averages with momentum and 1 - momentum swapped",
     _bn_forward(_BN_TRAIN_OK.replace("momentum * running_mean + (1 - momentum) * mu",
                                      "(1 - momentum) * running_mean + momentum * mu")
                 .replace("momentum * running_var + (1 - momentum) * var",
                          "(1 - momentum) * running_var + momentum * var")), "PyTorch"),
    ("batchnorm_forward", "test_batchnorm_forward", "running averages not stored in bn_param", _bn_forward('''\
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = (x - mu) * inv_std
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
        return gamma * x_hat + beta, (x_hat, gamma, inv_std)
''', head=_BN_FORWARD_SETUP.replace('bn_param.setdefault("running_mean", np.zeros(D))',
                                      'bn_param.get("running_mean", np.zeros(D))')
                             .replace('bn_param.setdefault("running_var", np.ones(D))',
                                      'bn_param.get("running_var", np.ones(D))')), "running_mean"),
    ("batchnorm_forward", "test_batchnorm_forward", "statistics over axis 1 (per sample)", _bn_forward(
        _BN_TRAIN_OK.replace("mu = x.mean(axis=0)", "mu = x.mean(axis=1, keepdims=True)")
                    .replace("var = x.var(axis=0)", "var = x.var(axis=1, keepdims=True)")), "wrong axis"),
    ("batchnorm_forward", "test_batchnorm_forward", "gamma and beta swapped", _bn_forward(
        _BN_TRAIN_OK.replace("return gamma * x_hat + beta,", "return beta * x_hat + gamma,"),
        '''\
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return beta * x_hat + gamma, None
'''), "swapped"),
    ("batchnorm_forward", "test_batchnorm_forward", "cache in CS231n's long form (x, x_hat, mu, var, gamma, eps)",
     _bn_forward(_BN_TRAIN_OK.replace("(x_hat, gamma, inv_std)", "(x, x_hat, mu, var, gamma, eps)")),
     "(x_hat, gamma, inv_std)"),
    ("batchnorm_forward", "test_batchnorm_forward", "cache holds the variance instead of inv_std", _bn_forward(
        _BN_TRAIN_OK.replace("(x_hat, gamma, inv_std)", "(x_hat, gamma, var)")), "holds the variance"),
    ("batchnorm_forward", "test_batchnorm_forward", "centres x in place (x -= mu)", _bn_forward('''\
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        inv_std = 1.0 / np.sqrt(var + eps)
        x -= mu
        x_hat = x * inv_std
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
        return gamma * x_hat + beta, (x_hat, gamma, inv_std)
'''), "in place"),
    ("batchnorm_forward", "test_batchnorm_forward", "eps and momentum hard-coded", _bn_forward(
        _BN_TRAIN_OK, head=_BN_FORWARD_SETUP.replace('bn_param.setdefault("eps", 1e-5)', "1e-5")
                                              .replace('bn_param.setdefault("momentum", 0.9)', "0.9"))),
    ("batchnorm_forward", "test_batchnorm_forward", "test mode without default running averages", _BN_FORWARD_HEAD + '''\
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    if bn_param["mode"] == "train":
        D = x.shape[1]
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = (x - mu) * inv_std
        bn_param["running_mean"] = momentum * bn_param.get("running_mean", np.zeros(D)) + (1 - momentum) * mu
        bn_param["running_var"] = momentum * bn_param.get("running_var", np.ones(D)) + (1 - momentum) * var
        return gamma * x_hat + beta, (x_hat, gamma, inv_std)
    x_hat = (x - bn_param["running_mean"]) / np.sqrt(bn_param["running_var"] + eps)
    return gamma * x_hat + beta, None
''', "KeyError"),
    # ---------------------------------------------------------------- batchnorm_backward
    ("batchnorm_backward", "test_batchnorm_backward", "mean terms missing: dx = dout * gamma * inv_std", _BN_BACKWARD_HEAD + '''\
    x_hat, gamma, inv_std = cache
    return dout * gamma * inv_std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
''', "direct path"),
    ("batchnorm_backward", "test_batchnorm_backward", "the variance term missing", _BN_BACKWARD_HEAD + '''\
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dx_hat = dout * gamma
    dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
''', "variance is missing"),
    ("batchnorm_backward", "test_batchnorm_backward", "gamma missing in dx", _BN_BACKWARD_HEAD + _BN_BACKWARD_OK.replace(
        "dx_hat = dout * gamma", "dx_hat = dout"), "gamma is missing"),
    ("batchnorm_backward", "test_batchnorm_backward", "dgamma = sum(dout)", _BN_BACKWARD_HEAD + _BN_BACKWARD_OK.replace(
        "dgamma = (dout * x_hat).sum(axis=0)", "dgamma = dout.sum(axis=0)"), "dgamma"),
    ("batchnorm_backward", "test_batchnorm_backward", "dbeta as a mean", _BN_BACKWARD_HEAD + _BN_BACKWARD_OK.replace(
        "dbeta = dout.sum(axis=0)", "dbeta = dout.mean(axis=0)"), "SUM"),
    ("batchnorm_backward", "test_batchnorm_backward", "sums over axis 1", _BN_BACKWARD_HEAD + '''\
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=1)
    dgamma = (dout * x_hat).sum(axis=1)
    dx_hat = dout * gamma
    dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=1, keepdims=True) - x_hat * (dx_hat * x_hat).sum(axis=1, keepdims=True))
    return dx, dgamma, dbeta
''', "shape"),
    ("batchnorm_backward", "test_batchnorm_backward", "multiplies dout by gamma in place", _BN_BACKWARD_HEAD + '''\
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dout *= gamma
    dx = inv_std / N * (N * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))
    return dx, dgamma, dbeta
''', "in place"),
    ("batchnorm_backward", "test_batchnorm_backward", "factor 1/N missing", _BN_BACKWARD_HEAD + _BN_BACKWARD_OK.replace(
        "dx = inv_std / N * (", "dx = inv_std * ("), "1/N"),
    # ---------------------------------------------------------------- clip_by_global_norm
    ("clip_by_global_norm", "test_clip_by_global_norm", "returns the norm after clipping", _CLIP_HEAD + '''\
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    factor = max_norm / max(norm, max_norm)
    clipped = [g * factor for g in grads]
    return clipped, float(np.sqrt(sum(np.sum(g ** 2) for g in clipped)))
''', "AFTER clipping"),
    ("clip_by_global_norm", "test_clip_by_global_norm", "clips each gradient by its own norm", _CLIP_HEAD + '''\
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    return [g * max_norm / max(np.linalg.norm(g), max_norm) for g in grads], norm
''', "own norm"),
    ("clip_by_global_norm", "test_clip_by_global_norm", "always scales, also below max_norm", _CLIP_HEAD + '''\
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    return [g * max_norm / norm for g in grads], norm
''', "below max_norm"),
    ("clip_by_global_norm", "test_clip_by_global_norm", "global norm as the sum of the arrays' norms", _CLIP_HEAD + '''\
    norm = float(sum(np.linalg.norm(g) for g in grads))
    factor = max_norm / max(norm, max_norm)
    return [g * factor for g in grads], norm
''', "sum of the arrays' norms"),
    ("clip_by_global_norm", "test_clip_by_global_norm", "scales the arrays in place", _CLIP_HEAD + '''\
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    if norm > max_norm:
        for g in grads:
            g *= max_norm / norm
    return grads, norm
''', "in place"),
    ("clip_by_global_norm", "test_clip_by_global_norm", "returns the squared norm", _CLIP_HEAD + '''\
    squared = float(sum(np.sum(g ** 2) for g in grads))
    factor = max_norm / max(np.sqrt(squared), max_norm)
    return [g * factor for g in grads], squared
''', "squared norm"),
    # ---------------------------------------------------------------- issue 12: silent passes and messages
    ("he_init", "test_he_init", "one random column copied to every unit (symmetry)", """\
def he_init(fan_in, fan_out, rng):
    column = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, 1))
    return np.repeat(column, fan_out, axis=1)
""", "symmetry"),
    ("he_init", "test_he_init", "one random row copied to every input", """\
def he_init(fan_in, fan_out, rng):
    row = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(1, fan_out))
    return np.repeat(row, fan_in, axis=0)
""", "every row"),
    ("batchnorm_forward", "test_batchnorm_forward", "PyTorch's momentum convention with its default 0.1 stored",
     _bn_forward(_BN_TRAIN_OK.replace("momentum * running_mean + (1 - momentum) * mu",
                                      "(1 - momentum) * running_mean + momentum * mu")
                 .replace("momentum * running_var + (1 - momentum) * var",
                          "(1 - momentum) * running_var + momentum * var"),
                 head=_BN_FORWARD_SETUP.replace('bn_param.setdefault("momentum", 0.9)',
                                                'bn_param.setdefault("momentum", 0.1)')), "PyTorch"),
    ("batchnorm_forward", "test_batchnorm_forward", "PyTorch's momentum convention, default 0.1 read with get",
     _bn_forward(_BN_TRAIN_OK.replace("momentum * running_mean + (1 - momentum) * mu",
                                      "(1 - momentum) * running_mean + momentum * mu")
                 .replace("momentum * running_var + (1 - momentum) * var",
                          "(1 - momentum) * running_var + momentum * var"),
                 head=_BN_FORWARD_SETUP.replace('bn_param.setdefault("momentum", 0.9)',
                                                'bn_param.get("momentum", 0.1)')), "PyTorch"),
    ("batchnorm_backward", "test_batchnorm_backward", "turns the cache's x_hat into x - mean in place", _BN_BACKWARD_HEAD + """\
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    xmu = x_hat
    xmu /= inv_std                              # x - mean, computed in the cache's own array
    dvar = np.sum(dx_hat * xmu, axis=0) * -0.5 * inv_std ** 3
    dmu = -inv_std * np.sum(dx_hat, axis=0)
    dx = dx_hat * inv_std + dvar * 2.0 * xmu / N + dmu / N
    return dx, dgamma, dbeta
""", "in place"),
    ("clip_by_global_norm", "test_clip_by_global_norm", "clips by value with np.clip", _CLIP_HEAD + """\
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    return [np.clip(g, -max_norm, max_norm) for g in grads], norm
""", "by value"),
    ("clip_by_global_norm", "test_clip_by_global_norm", "min(1, max_norm / norm) divides by a zero norm", _CLIP_HEAD + """\
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    scale = min(1.0, max_norm / norm)
    return [g * scale for g in grads], norm
""", "global norm is 0"),
    ("adam", "test_adam", "Kingma and Ba's efficient form (epsilon hat)", _rule("adam", _ADAM_DEFAULTS + """\
    config["t"] += 1
    t = config["t"]
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw ** 2
    config["m"], config["v"] = m, v
    step = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    return w - step * m / (np.sqrt(v) + eps), config
"""), "Kingma and Ba"),
    # ---------------------------------------------------------------- issue 12: the course's reference in reach
    ("he_init", "test_he_init", "a wrapper around the reference", """\
from dlcourse import layers as _l
def he_init(fan_in, fan_out, rng):
    return _l.he_init(fan_in, fan_out, rng)
""", "uses the course's reference"),
    ("adam", "test_adam", "an alias of the reference", "from dlcourse import optim\nadam = optim.adam\n",
     "uses the course's reference"),
    ("rmsprop", "test_rmsprop", "a functools.partial of the reference", """\
import functools
from dlcourse import optim
rmsprop = functools.partial(optim.rmsprop)
""", "uses the course's reference"),
    ("batchnorm_forward", "test_batchnorm_forward", "an import inside the function", _BN_FORWARD_HEAD + """\
    from dlcourse.layers import batchnorm_forward as forward
    return forward(x, gamma, beta, bn_param)
""", "uses the course's reference"),
    ("clip_by_global_norm", "test_clip_by_global_norm", "an import under another name", """\
import dlcourse.optim as tools
def clip_by_global_norm(grads, max_norm):
    return tools.clip_by_global_norm(grads, max_norm)
""", "uses the course's reference"),
    ("sgd_momentum", "test_sgd_momentum", "a wrapper around the reference, imported under another name", """\
from dlcourse.optim import sgd_momentum as _momentum
def sgd_momentum(w, dw, config=None):
    return _momentum(w, dw, config)
""", "uses the course's reference"),
    ("batchnorm_backward", "test_batchnorm_backward", "a wrapper around the reference", _BN_BACKWARD_HEAD + """\
    from dlcourse import layers
    return layers.batchnorm_backward(dout, cache)
""", "uses the course's reference"),
]

RIGHT = [
    ("he_init", "standard_normal times the scale", '''\
def he_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)
'''),
    ("he_init", "drawn as (fan_out, fan_in) and transposed", '''\
def he_init(fan_in, fan_out, rng):
    std = (2.0 / fan_in) ** 0.5
    return std * rng.normal(size=(fan_out, fan_in)).T
'''),
    ("sgd_momentum", "copies config, reads the velocity with get", _rule("sgd_momentum", '''\
    config = dict(config or {})
    lr = config.setdefault("learning_rate", 0.01)
    mu = config.setdefault("momentum", 0.9)
    v = mu * config.get("velocity", np.zeros(w.shape)) - lr * dw
    config["velocity"] = v
    next_w = w.copy()
    next_w += v
    return next_w, config
''')),
    ("rmsprop", "dw * dw and a new dict", _rule("rmsprop", '''\
    defaults = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8}
    config = {**defaults, **(config or {})}
    cache = config.get("cache")
    cache = np.zeros_like(w) if cache is None else cache
    rho = config["decay_rate"]
    config["cache"] = rho * cache + (1.0 - rho) * dw * dw
    denominator = np.sqrt(config["cache"]) + config["epsilon"]
    return w - config["learning_rate"] * dw / denominator, config
''')),
    ("adam", "the textbook form with a step size alpha_t", _rule("adam", '''\
    if config is None:
        config = {}
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8), ("t", 0)):
        config.setdefault(key, value)
    m = config.get("m", np.zeros_like(w))
    v = config.get("v", np.zeros_like(w))
    b1, b2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * np.square(dw)
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    config.update({"m": m, "v": v, "t": t})
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config
''')),
    ("batchnorm_forward", "keepdims statistics and bn_param.get", _BN_FORWARD_HEAD + '''\
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.ones(D))
    if bn_param["mode"] == "train":
        mu = np.mean(x, axis=0, keepdims=True)
        var = np.mean((x - mu) ** 2, axis=0, keepdims=True)
        inv_std = (var + eps) ** -0.5
        x_hat = (x - mu) * inv_std
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu[0]
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var[0]
        return x_hat * gamma + beta, (x_hat, gamma, inv_std[0])
    out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
    return out, None
'''),
    ("batchnorm_backward", "the computational graph, step by step", _BN_BACKWARD_HEAD + '''\
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx_hat = dout * gamma
    xmu = x_hat / inv_std                       # x - mean
    dinv_std = np.sum(dx_hat * xmu, axis=0)
    dvar = dinv_std * -0.5 * inv_std ** 3       # d(var + eps)^(-1/2) / dvar
    dxmu = dx_hat * inv_std + dvar * 2.0 * xmu / N
    dmu = -np.sum(dxmu, axis=0)
    dx = dxmu + dmu / N
    return dx, dgamma, dbeta
'''),
    ("clip_by_global_norm", "min(1, max_norm / norm) and a tuple", _CLIP_HEAD + '''\
    norm = np.linalg.norm(np.concatenate([np.ravel(g) for g in grads]))
    scale = 1.0 if norm == 0 else min(1.0, max_norm / norm)
    return tuple(np.asarray(g, dtype=float) * scale for g in grads), float(norm)
'''),
    ("batchnorm_backward", "the three paths of the text, one term each", _BN_BACKWARD_HEAD + """\
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dx_hat = dout * gamma
    x_mu = x_hat / inv_std                                           # x - mean, a new array
    dvar = -0.5 * inv_std ** 3 * np.sum(dx_hat * x_mu, axis=0)       # dL / d(variance)
    dmean = -inv_std * np.sum(dx_hat, axis=0)                        # dL / d(mean)
    dx = dx_hat * inv_std + dvar * 2 * x_mu / N + dmean / N
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
"""),
    ("clip_by_global_norm", "a branch: copies below the limit, one factor above it", _CLIP_HEAD + """\
    total = 0.0
    for g in grads:
        total += float(np.sum(np.square(g)))
    norm = total ** 0.5
    if norm <= max_norm:
        return [np.array(g, dtype=float) for g in grads], norm
    return [g * (max_norm / norm) for g in grads], norm
"""),
    ("batchnorm_forward", "momentum written as the weight of the batch, 1 - momentum", _BN_FORWARD_HEAD + """\
    eps = bn_param.get("eps", 1e-5)
    keep = bn_param.setdefault("momentum", 0.9)
    new = 1.0 - keep                      # the weight of this batch's statistics
    D = x.shape[1]
    if bn_param["mode"] == "train":
        mu, var = x.mean(axis=0), x.var(axis=0)
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = (x - mu) * inv_std
        old_mean = bn_param.get("running_mean", np.zeros(D))
        old_var = bn_param.get("running_var", np.ones(D))
        bn_param["running_mean"] = old_mean + new * (mu - old_mean)
        bn_param["running_var"] = old_var + new * (var - old_var)
        return gamma * x_hat + beta, (x_hat, gamma, inv_std)
    mean = bn_param.get("running_mean", np.zeros(D))
    var = bn_param.get("running_var", np.ones(D))
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, None
"""),
    ("clip_by_global_norm", "min(1, max_norm / norm) with a NumPy norm: inf for zero gradients, so a factor 1",
     _CLIP_HEAD + """\
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    return [g * min(1.0, max_norm / norm) for g in grads], float(norm)
"""),
    ("he_init", "standard normal in float64, scaled in place on its own array", """\
def he_init(fan_in, fan_out, rng):
    W = rng.standard_normal(size=(fan_in, fan_out))
    W *= np.sqrt(2.0 / fan_in)
    return W
"""),
    ("sgd_momentum", "reads every key with get, velocity built fresh", _rule("sgd_momentum", """\
    if config is None:
        config = {}
    lr = config.get("learning_rate", 1e-2)
    mu = config.get("momentum", 0.9)
    config["learning_rate"], config["momentum"] = lr, mu
    velocity = config.get("velocity", None)
    if velocity is None:
        velocity = np.zeros(np.shape(w))
    velocity = mu * velocity - lr * dw
    config["velocity"] = velocity
    return w + velocity, config
""")),
]

VISIBLE_MISSES: dict[str, str] = {}

"""Right and wrong answers for lesson 09 · Keras on MNIST (nbgrader round trip, visible tests).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description,
        full answer cell source[, a phrase the visible message must contain])
RIGHT: (answer cell grade_id, description, full answer cell source); every test cell must pass.

The notebook's imports cell has run: np, keras, tf are defined. One RIGHT entry writes
TensorFlow-like noise to stderr (through sys.stderr and straight to file descriptor 2, as
TensorFlow's C++ logging does) from inside a graded test cell: it must keep full marks, which
proves in the round trip that start-up noise never costs a point. It is the first RIGHT entry of
build_mlp on purpose: the round trip grades the first RIGHT entry of each exercise.
"""

WRONG = [
    # ---- preprocess_mnist
    ("preprocess_mnist", "test_preprocess_mnist", "pixels not divided by 255 (values 0..255)", '''\
def preprocess_mnist(x, y):
    return x.reshape(len(x), 784).astype("float32"), keras.utils.to_categorical(y, 10)
''', "divide"),
    ("preprocess_mnist", "test_preprocess_mnist", "float64 pixels (x / 255.0 without astype)", '''\
def preprocess_mnist(x, y):
    return x.reshape(len(x), 784) / 255.0, keras.utils.to_categorical(y, 10)
''', "float32"),
    ("preprocess_mnist", "test_preprocess_mnist", "labels left as integers, not one-hot", '''\
def preprocess_mnist(x, y):
    return x.reshape(len(x), 784).astype("float32") / 255, y
''', "one-hot"),
    ("preprocess_mnist", "test_preprocess_mnist", "one-hot sized by the largest label (9 columns without a 9)", '''\
def preprocess_mnist(x, y):
    return x.reshape(len(x), 784).astype("float32") / 255, keras.utils.to_categorical(y)
''', "10"),
    ("preprocess_mnist", "test_preprocess_mnist", "images kept as (N, 28, 28)", '''\
def preprocess_mnist(x, y):
    return x.astype("float32") / 255, keras.utils.to_categorical(y, 10)
''', "784"),
    ("preprocess_mnist", "test_preprocess_mnist", "divided by the batch's brightest pixel", '''\
def preprocess_mnist(x, y):
    x = x.reshape(len(x), 784).astype("float32")
    return x / x.max(), keras.utils.to_categorical(y, 10)
''', "255"),
    # ---- count_dense_params
    ("count_dense_params", "test_count_dense_params", "biases forgotten", '''\
def count_dense_params(layer_sizes):
    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
''', "biases are missing"),
    ("count_dense_params", "test_count_dense_params", "biases of the input layer counted too", '''\
def count_dense_params(layer_sizes):
    weights = sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
    return weights + sum(layer_sizes)
''', "input layer"),
    ("count_dense_params", "test_count_dense_params", "returns a float", '''\
import numpy as np
def count_dense_params(layer_sizes):
    s = np.array(layer_sizes, dtype=float)
    return np.sum(s[:-1] * s[1:] + s[1:])
''', "int"),
    # ---- build_mlp
    ("build_mlp", "test_build_mlp", "sigmoid output layer", '''\
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(784,))])
    for h in hidden_units:
        model.add(keras.layers.Dense(h, activation="relu", kernel_regularizer=reg))
        if batchnorm:
            model.add(keras.layers.BatchNormalization())
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="sigmoid", kernel_regularizer=reg))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''', "softmax"),
    ("build_mlp", "test_build_mlp", "one hidden layer of 512 whatever hidden_units says", '''\
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(784,)),
                              keras.layers.Dense(512, activation="relu", kernel_regularizer=reg)])
    if batchnorm:
        model.add(keras.layers.BatchNormalization())
    if dropout:
        model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=reg))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''', "hidden_units"),
    ("build_mlp", "test_build_mlp", "l2 ignored", '''\
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    model = keras.Sequential([keras.Input(shape=(784,))])
    for h in hidden_units:
        model.add(keras.layers.Dense(h, activation="relu"))
        if batchnorm:
            model.add(keras.layers.BatchNormalization())
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''', "L2"),
    ("build_mlp", "test_build_mlp", "dropout ignored", '''\
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(784,))])
    for h in hidden_units:
        model.add(keras.layers.Dense(h, activation="relu", kernel_regularizer=reg))
        if batchnorm:
            model.add(keras.layers.BatchNormalization())
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=reg))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''', "Dropout"),
    ("build_mlp", "test_build_mlp", "batchnorm ignored", '''\
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(784,))])
    for h in hidden_units:
        model.add(keras.layers.Dense(h, activation="relu", kernel_regularizer=reg))
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=reg))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''', "BatchNormalization"),
    ("build_mlp", "test_build_mlp", "returned without compiling", '''\
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(784,))])
    for h in hidden_units:
        model.add(keras.layers.Dense(h, activation="relu", kernel_regularizer=reg))
        if batchnorm:
            model.add(keras.layers.BatchNormalization())
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=reg))
    return model
''', "not compiled"),
    ("build_mlp", "test_build_mlp", "sparse categorical cross-entropy with one-hot labels", '''\
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(784,))])
    for h in hidden_units:
        model.add(keras.layers.Dense(h, activation="relu", kernel_regularizer=reg))
        if batchnorm:
            model.add(keras.layers.BatchNormalization())
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=reg))
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''', "sparse"),
    # ---- train_mlp
    ("train_mlp", "test_train_mlp", "epochs ignored: always one epoch", '''\
def train_mlp(x, y, epochs, validation_data=None):
    model = build_mlp(dropout=0.3)
    history = model.fit(x, y, epochs=1, batch_size=128, validation_data=validation_data, verbose=0)
    return model, history
''', "epoch"),
    ("train_mlp", "test_train_mlp", "learning rate far too large (RMSprop 0.5)", '''\
def train_mlp(x, y, epochs, validation_data=None):
    model = build_mlp()
    model.compile(optimizer=keras.optimizers.RMSprop(0.5), loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=epochs, batch_size=128, validation_data=validation_data, verbose=0)
    return model, history
'''),
    ("train_mlp", "test_train_mlp", "returns the model only", '''\
def train_mlp(x, y, epochs, validation_data=None):
    model = build_mlp(dropout=0.3)
    model.fit(x, y, epochs=epochs, batch_size=128, validation_data=validation_data, verbose=0)
    return model
''', "(model, history)"),
]

RIGHT = [
    ("preprocess_mnist", "np.eye for the labels, reshape(-1, 784), float32 division", '''\
def preprocess_mnist(x, y):
    pixels = x.reshape(-1, 784).astype(np.float32) / np.float32(255.0)
    labels = np.eye(10, dtype=np.float32)[np.asarray(y, dtype=int)]
    return pixels, labels
'''),
    ("count_dense_params", "a generator over consecutive pairs, weights and biases apart", '''\
def count_dense_params(layer_sizes):
    sizes = list(layer_sizes)
    weights = sum(sizes[k] * sizes[k + 1] for k in range(len(sizes) - 1))
    biases = sum(sizes[1:])
    return weights + biases
'''),
    ("build_mlp", "right, and writes TensorFlow-like noise to stderr on every call", '''\
import os, sys
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    print("W0000 00:00:1700000000.000000 cuda_dnn.cc:8310] Unable to register cuDNN factory", file=sys.stderr)
    os.write(2, b"E0000 00:00:1700000000.000001 cuda_blas.cc:1418] Unable to register cuBLAS factory\\n")
    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(784,))])
    for h in hidden_units:
        model.add(keras.layers.Dense(h, activation="relu", kernel_regularizer=reg))
        if batchnorm:
            model.add(keras.layers.BatchNormalization())
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=reg))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
'''),
    ("build_mlp", "a list of layers, dropout before batch norm, optimizer and loss objects, 'acc'", '''\
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    from keras import layers, regularizers
    stack = [keras.Input(shape=(784,))]
    for units in hidden_units:
        stack.append(layers.Dense(units, activation="relu",
                                  kernel_regularizer=regularizers.l2(l2) if l2 else None))
        if dropout:
            stack.append(layers.Dropout(rate=dropout))
        if batchnorm:
            stack.append(layers.BatchNormalization())
    stack.append(layers.Dense(10, activation="softmax", kernel_regularizer=regularizers.l2(l2) if l2 else None))
    model = keras.Sequential(stack)
    model.compile(optimizer=keras.optimizers.RMSprop(), loss=keras.losses.CategoricalCrossentropy(),
                  metrics=["acc"])
    return model
'''),
    ("train_mlp", "Adam, dropout 0.2, constant rate", '''\
def train_mlp(x, y, epochs, validation_data=None):
    model = build_mlp(dropout=0.2)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=128, epochs=epochs, validation_data=validation_data, verbose=0)
    return model, history
'''),
]

VISIBLE_MISSES = {}

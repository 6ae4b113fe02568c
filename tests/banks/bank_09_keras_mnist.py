"""Right and wrong answers for lesson 09 · Keras on MNIST (nbgrader round trip, visible tests).

Entries marked "passed before" passed the visible tests (most also the hidden ones) before the
lesson's checks closed their class of mistake (issue 12 §2, §3).

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
    # ---- the course's references are out of reach (passed before: a wrapper got full marks)
    ("preprocess_mnist", "test_preprocess_mnist", "a wrapper around the course's reference", '''\
from dlcourse.checks import keras_mnist as km
def preprocess_mnist(x, y):
    return km.preprocess_mnist(x, y)
''', "uses the course's reference"),
    ("count_dense_params", "test_count_dense_params", "an alias of the course's reference", '''\
from dlcourse.reference import count_dense_params
''', "uses the course's reference"),
    ("build_mlp", "test_build_mlp", "functools.partial of the course's reference", '''\
import functools
from dlcourse import reference
build_mlp = functools.partial(reference.build_mlp)
''', "uses the course's reference"),
    ("count_dense_params", "test_count_dense_params", "an import inside the function", '''\
def count_dense_params(layer_sizes):
    from dlcourse.reference import count_dense_params as count
    return count(layer_sizes)
''', "uses the course's reference"),
    ("build_mlp", "test_build_mlp", "an import under another name", '''\
import dlcourse.reference as solutions
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    return solutions.build_mlp(hidden_units, l2, dropout, batchnorm)
''', "uses the course's reference"),
    # ---- build_mlp: the learning rate of "rmsprop" (passed before)
    ("build_mlp", "test_build_mlp", "RMSprop at 0.01 instead of its default rate", '''\
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
    model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''', "learning rate"),
    # ---- train_mlp: the learning rate, the validation data, the test set (each passed before)
    ("train_mlp", "test_train_mlp", "RMSprop at 3e-2 (30 times the default): 84 % in the short run", '''\
def train_mlp(x, y, epochs, validation_data=None):
    model = build_mlp(dropout=0.3)
    model.compile(optimizer=keras.optimizers.RMSprop(3e-2), loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=epochs, batch_size=128, validation_data=validation_data, verbose=0)
    return model, history
''', "learning rate"),
    ("train_mlp", "test_train_mlp", "validation_data ignored", '''\
def train_mlp(x, y, epochs, validation_data=None):
    model = build_mlp(dropout=0.3)
    history = model.fit(x, y, epochs=epochs, batch_size=128, verbose=0)
    return model, history
''', "validation"),
    ("train_mlp", "test_train_mlp", "validation_split=0.1 instead of the validation_data given", '''\
def train_mlp(x, y, epochs, validation_data=None):
    model = build_mlp(dropout=0.3)
    history = model.fit(x, y, epochs=epochs, batch_size=128, validation_split=0.1, verbose=0)
    return model, history
''', "validation"),
    ("train_mlp", "test_train_mlp", "validates on the notebook's test set", '''\
def train_mlp(x, y, epochs, validation_data=None):
    model = build_mlp(dropout=0.3)
    history = model.fit(x, y, epochs=epochs, batch_size=128, validation_data=(x_test, y_test), verbose=0)
    return model, history
''', "test set"),
    ("train_mlp", "test_train_mlp", "trains on the test images too", '''\
def train_mlp(x, y, epochs, validation_data=None):
    model = build_mlp(dropout=0.3)
    history = model.fit(np.concatenate([x, x_test]), np.concatenate([y, y_test]), epochs=epochs, batch_size=128,
                        validation_data=validation_data, verbose=0)
    return model, history
''', "test set"),
    ("train_mlp", "test_train_mlp", "loads MNIST itself and trains on its test images", '''\
from dlcourse import datasets
def train_mlp(x, y, epochs, validation_data=None):
    _, (xt, yt) = datasets.load_mnist()
    xt, yt = preprocess_mnist(xt, yt)
    model = build_mlp(dropout=0.3)
    history = model.fit(np.concatenate([x, xt]), np.concatenate([y, yt]), epochs=epochs, batch_size=128,
                        validation_data=validation_data, verbose=0)
    return model, history
''', "loads MNIST itself"),
    ("train_mlp", "test_train_mlp", "the test set as the default validation_data", '''\
def train_mlp(x, y, epochs, validation_data=(x_test, y_test)):
    model = build_mlp(dropout=0.3)
    history = model.fit(x, y, epochs=epochs, batch_size=128, validation_data=validation_data, verbose=0)
    return model, history
''', "not given"),
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
    ("build_mlp", "Activation('relu') and Softmax() layers after linear Dense layers (rejected before)", '''\
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    reg = keras.regularizers.L2(l2) if l2 > 0 else None
    model = keras.Sequential([keras.Input(shape=(784,))])
    for h in hidden_units:
        model.add(keras.layers.Dense(h, kernel_regularizer=reg))
        model.add(keras.layers.Activation("relu"))
        if batchnorm:
            model.add(keras.layers.BatchNormalization())
        if dropout > 0:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, kernel_regularizer=reg))
    model.add(keras.layers.Softmax())
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
'''),
    ("build_mlp", "keras.layers.ReLU() and Activation('softmax'), functional API", '''\
def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    def dense(units):
        return keras.layers.Dense(units, kernel_regularizer=keras.regularizers.L2(l2) if l2 else None)
    inputs = keras.Input(shape=(784,))
    h = inputs
    for units in hidden_units:
        h = keras.layers.ReLU()(dense(units)(h))
        if batchnorm:
            h = keras.layers.BatchNormalization()(h)
        if dropout:
            h = keras.layers.Dropout(dropout)(h)
    outputs = keras.layers.Activation("softmax")(dense(10)(h))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.001), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return model
'''),
    ("train_mlp", "an exponentially decaying rate from 2e-3 in the optimizer, batch 100, keyword arguments", '''\
def train_mlp(x, y, epochs, validation_data=None):
    model = build_mlp(hidden_units=(512,), dropout=0.2)
    schedule = keras.optimizers.schedules.ExponentialDecay(2e-3, decay_steps=100, decay_rate=0.9)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=schedule), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x=x, y=y, batch_size=100, epochs=epochs, verbose=0, validation_data=validation_data)
    return model, history
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

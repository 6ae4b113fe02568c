"""The course's own NumPy networks, built from the reference layers of `dlcourse.layers` and the
update rules of `dlcourse.optim` (CS231n style), one module per topic:

| module | lesson | what |
| --- | --- | --- |
| `backprop` | 05 | `two_layer_net`, `init_net`, `mlp_forward`, `train_xor`, `xor_curves`, `layer_gradient_norms` |
| `mnist` | 09 | the NumPy MNIST classifier: `mnist_arrays`, `init_mlp`, `mlp_loss`, `predict`, `accuracy`, `step_decay`, `rmsprop_step`, `train_numpy_mlp`, `TrainResult` |
| `keras_mnist` | 09 | the same net in Keras and against TensorFlow: `quiet_tensorflow`, `train_keras_mlp`, `compare_with_keras`, `params_from_keras`, `gradients_match_tensorflow` |
| `blas` | 09 | NumPy's BLAS threads: `blas_threads`, `best_blas_threads` |

Every name is also here: lessons write `network.mlp_loss(...)` whatever the module.
"""

from .backprop import (ACTIVATIONS, XOR_SETUP, init_net, layer_gradient_norms, mlp_forward, train_xor, two_layer_net,
                       xor_curves)
from .blas import best_blas_threads, blas_threads
from .keras_mnist import compare_with_keras, gradients_match_tensorflow, params_from_keras, quiet_tensorflow, train_keras_mlp
from .mnist import (TrainResult, accuracy, init_mlp, mlp_loss, mnist_arrays, predict, rmsprop_step, step_decay,
                    train_numpy_mlp)

__all__ = ["two_layer_net", "init_net", "mlp_forward", "train_xor", "xor_curves", "XOR_SETUP", "layer_gradient_norms", "ACTIVATIONS",
           "init_mlp", "mlp_loss", "predict", "accuracy", "TrainResult", "train_numpy_mlp", "train_keras_mlp",
           "compare_with_keras", "mnist_arrays", "params_from_keras", "gradients_match_tensorflow",
           "quiet_tensorflow", "step_decay", "rmsprop_step", "blas_threads", "best_blas_threads"]

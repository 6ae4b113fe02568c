"""Facts about the course itself, each set in exactly one place.

`REPOSITORY` is the only place that names the course's home. Forks change it here and
run `dlcourse set-repo` (which rewrites the Colab cell of every solution notebook and
the README badges from it), then `make lessons`; a test fails while they disagree.
"""

REPOSITORY = "https://github.com/dlcourse/deep-learning-foundations"
BRANCH = "main"

# The lessons, in order: folder name -> title (README table, badges, set-up checks).
LESSONS = {
    "00_start_here": "Start here: how the course works",
    "01_sigmoid_node": "A single sigmoid node",
    "02_xor": "Hidden layers and XOR",
    "03_dating_regression": "The dating regression: gradient descent by hand",
    "04_activations": "Activation functions",
    "05_backprop": "Backpropagation",
    "06_classification": "Classification: logistic regression, cross-entropy, softmax and hinge",
    "07_training_deep_nets": "Training deep networks: initialization, optimizers, batch norm",
    "08_regularization": "Regularization",
    "09_keras_mnist": "Keras reads handwritten digits (MNIST)",
    "10_debugging_training": "Debugging training: a capstone",
}


def colab_url(lesson: str, repository: str = REPOSITORY, branch: str = BRANCH) -> str:
    """The "Open in Colab" address of a lesson's student version."""
    path = repository.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/{branch}/lessons/{lesson}/{lesson}.ipynb"


def raw_url(path: str, repository: str = REPOSITORY, branch: str = BRANCH) -> str:
    """Download address of a file in the repository (used only when no local copy exists)."""
    return f"{repository}/raw/{branch}/{path}"


def grading() -> bool:
    """True while nbgrader executes a notebook (autograde, validate): lessons then take the
    documented cheap path for long training, so a whole class is graded quickly."""
    import os

    return bool(os.environ.get("NBGRADER_EXECUTION"))

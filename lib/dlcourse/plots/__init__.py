"""Plots of the course, one module per lesson topic. Each function draws on an `ax` (a new one if
none is given) and returns it, so lessons can combine them in subplots.

| module | lessons | plots |
| --- | --- | --- |
| `common` | all | `decision_regions`, `scatter_classes`, `node_line`, `function_curves`, `loss_curves` |
| `nodes` | 01, 02 | `node_diagram`, `truth_table`, `approximation` |
| `regression` | 03 | `cost_surface`, `dating_scatter`, `parameter_trace` |
| `activations` | 04 | `activation_and_slope`, `saturation_intervals`, `preactivation_histograms`, `unit_firing` |
| `backprop` | 05 | `gradient_norms_by_layer`, `error_bars`, `regression_slice` |
| `training` | 07, 10 | `histograms`, `layer_statistics`, `optimizer_paths`, `update_ratios`, `point_clouds` |
| `regularization` | 08 | `polynomial_fit`, `error_curves`, `search_scatter`, `early_stopping_curves`, `weight_stems`, `augmentation_grid`, `dropout_picture`, `ensemble_bars` |
| `keras_mnist` | 09 | `history_curves`, `digit_grid`, `confusion_matrix`, `run_comparison` |
| `debugging` | 10 | `training_dashboard`, `gradient_norm_curves`, `layer_histograms` |

Every name is also here, so lessons write `plots.loss_curves(...)` whatever the module.

While a class is graded with figures off, figures are not laid out (`_layout`): nobody sees them.
"""

from . import _layout
from .activations import activation_and_slope, preactivation_histograms, saturation_intervals, unit_firing
from .backprop import error_bars, gradient_norms_by_layer, regression_slice
from .common import CLASS_COLORS, LINE_COLORS, decision_regions, function_curves, loss_curves, node_line, scatter_classes
from .debugging import gradient_norm_curves, layer_histograms, training_dashboard
from .keras_mnist import confusion_matrix, digit_grid, history_curves, run_comparison
from .nodes import approximation, node_diagram, truth_table
from .regression import cost_surface, dating_scatter, parameter_trace
from .regularization import (augmentation_grid, dropout_picture, early_stopping_curves, ensemble_bars, error_curves,
                             polynomial_fit, search_scatter, weight_stems)
from .training import histograms, layer_statistics, optimizer_paths, point_clouds, update_ratios

__all__ = [
    "CLASS_COLORS", "LINE_COLORS", "decision_regions", "scatter_classes", "node_line", "function_curves", "loss_curves",
    "node_diagram", "truth_table", "approximation",
    "cost_surface", "dating_scatter", "parameter_trace",
    "activation_and_slope", "saturation_intervals", "preactivation_histograms", "unit_firing",
    "gradient_norms_by_layer", "error_bars", "regression_slice",
    "histograms", "layer_statistics", "optimizer_paths", "update_ratios", "point_clouds",
    "polynomial_fit", "error_curves", "search_scatter", "early_stopping_curves", "weight_stems", "augmentation_grid",
    "dropout_picture", "ensemble_bars",
    "history_curves", "digit_grid", "confusion_matrix", "run_comparison",
    "training_dashboard", "gradient_norm_curves", "layer_histograms",
]

_layout.install()

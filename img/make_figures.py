"""Draw the course's concept diagrams into img/ (run from anywhere).

    python img/make_figures.py            # writes img/*.png
    python img/make_figures.py OUT_DIR    # writes them elsewhere (the tests do this)

Labels are English only (matplotlib's default font has no Hangul; the notebooks give
the Korean terms). Each figure is a plain matplotlib drawing with no data from training,
drawn deterministically (Agg, matplotlib's default style whatever a matplotlibrc says,
100 dpi, no "Software" metadata), so it is the same on every machine:
tests/test_figures.py redraws them and compares the pixels with the stored files.
Notebooks reference them as ../img/<name>.png.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, Rectangle

FIGURES = {}


def figure(name):
    def register(fn):
        FIGURES[name] = fn
        return fn
    return register


@figure("one_hot_encoding.png")
def one_hot(ax):
    """Class indices (category index) and their one-hot rows (one-hot encoding)."""
    labels = ["setosa", "versicolor", "virginica"]
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.6, 3.6)
    ax.axis("off")
    ax.text(0.2, 3.25, "class name", weight="bold")
    ax.text(2.6, 3.25, "integer label\n(sparse_categorical_crossentropy)", weight="bold", size=8)
    ax.text(6.3, 3.25, "one-hot label\n(categorical_crossentropy)", weight="bold", size=8)
    for i, name in enumerate(labels):
        y = 2.2 - i
        ax.text(0.2, y + 0.25, name)
        ax.text(3.4, y + 0.25, str(i), size=12)
        for j in range(3):
            on = i == j
            ax.add_patch(Rectangle((6.3 + j * 0.9, y), 0.8, 0.6,
                                   facecolor="tab:blue" if on else "white", edgecolor="black"))
            ax.text(6.7 + j * 0.9, y + 0.3, "1" if on else "0", ha="center", va="center",
                    color="white" if on else "black")
        ax.add_patch(FancyArrowPatch((4.0, y + 0.3), (6.1, y + 0.3), arrowstyle="->",
                                     mutation_scale=12))
    ax.text(5, -0.45, "softmax output: 3 probabilities that sum to 1, "
            "compared with the one-hot row", ha="center", size=8)


@figure("mini_batches.png")
def mini_batches(ax):
    """An epoch split into mini-batches; one step per batch, against the batch's mean gradient."""
    n, batch = 80, 20
    ax.set_xlim(-1, n + 1)
    ax.set_ylim(-2.2, 2.5)
    ax.axis("off")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i in range(n):
        ax.add_patch(Rectangle((i, 0), 0.9, 1, color=colors[i // batch], alpha=0.8))
    for b in range(n // batch):
        mid = b * batch + batch / 2
        ax.text(mid, 1.3, f"batch {b + 1}: {batch} samples", ha="center", size=9)
        ax.add_patch(FancyArrowPatch((mid, -0.1), (mid, -1.0), arrowstyle="->",
                                     mutation_scale=12))
        ax.text(mid, -1.55, f"step {b + 1}: one update,\nagainst the mean gradient", ha="center",
                va="center", size=8)
    ax.text(n / 2, 2.1, "one epoch = 80 samples = ceil(80 / 20) = 4 steps", ha="center",
            weight="bold")


@figure("train_validation_test_split.png")
def split(ax):
    """Which data is trained on, watched during training, and used once after."""
    ax.set_xlim(0, 100)
    ax.set_ylim(-1.2, 2)
    ax.axis("off")
    parts = [("training data", 0, 55, "tab:blue"),
             ("validation", 55, 20, "tab:orange"),
             ("test", 75, 25, "tab:green")]
    for label, start, width, color in parts:
        ax.add_patch(Rectangle((start, 0), width - 0.5, 1, color=color, alpha=0.85))
        ax.text(start + width / 2, 0.5, label, ha="center", va="center", color="white",
                size=9, weight="bold")
    ax.text(27.5, -0.2, "gradient steps\n(fit trains on these)", ha="center", size=8, va="top")
    ax.text(65, -0.2, "watched each epoch:\nval_loss, early stopping", ha="center", size=8,
            va="top")
    ax.text(87.5, -0.2, "used once,\nafter training", ha="center", size=8, va="top")
    ax.text(50, 1.45, "validation_split=0.1 holds out the LAST 10% of the training arrays "
            "(before any shuffling): shuffle first", ha="center", size=8)
    ax.text(50, -1.05, "(not to scale)", ha="center", size=7, color="gray")


@figure("overfitting_curve.png")
def overfitting(ax):
    """Sketch: training loss keeps falling, validation loss turns up (overfitting)."""
    epochs = np.linspace(1, 100, 200)
    train = 1.6 * np.exp(-epochs / 18) + 0.05
    val = 1.6 * np.exp(-epochs / 18) + 0.25 + 0.0035 * np.maximum(epochs - 30, 0) ** 1.2 * 0.4
    best = epochs[np.argmin(val)]
    ax.plot(epochs, train, label="training loss", color="tab:blue")
    ax.plot(epochs, val, "--", label="validation loss", color="tab:blue")
    ax.axvline(best, color="gray", linestyle=":")
    ax.text(best + 1, ax.get_ylim()[1] * 0.85 if ax.get_ylim()[1] else 1.5,
            "best epoch:\nstop here (early stopping)", size=8)
    ax.text(70, 0.12, "overfitting:\nvalidation loss rises", size=8)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_yticks([])
    ax.legend(frameon=False)
    ax.set_title("a sketch, not a measurement", size=9)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    for name, draw in FIGURES.items():
        with plt.style.context("default"):  # not the rc settings of this machine
            fig, ax = plt.subplots(figsize=(7, 2.6 if name != "overfitting_curve.png" else 3.2),
                                   dpi=100)
            draw(ax)
            fig.tight_layout()
            fig.savefig(out / name, metadata={"Software": None})
            plt.close(fig)
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

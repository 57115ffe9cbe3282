"""The graders of the lessons' exercises: expected values and shortcut checks, out of sight.

A check cell reads ``check_exercise("Exercise 2", (ex2_val_loss, ex2_best_lr), "01.2",
hint=...)``: :func:`course_utils.exercises.check_exercise` calls the grader registered here
as ``"01.2"`` with the learner's answers and the notebook's namespace ``ns`` (the main-path
objects it compares with, by their names). A grader returns True when the answer is right,
False when it is not (the check cell's hint is printed), or raises
:class:`~course_utils.exercises.Hint` to name the idea a shortcut missed. Fixed numbers are
held as salted hashes (:func:`~course_utils.exercises.digest`); a "by hand" task looks at
the learner's answer cell for the library call it replaces
(:func:`~course_utils.exercises.forbid`).

Maintainers only: a learner never needs to read this file, and the hints never quote it.
"""

from __future__ import annotations

import math

import numpy as np

from .exercises import Hint, digest, forbid, grader


def _np(value):
    import keras

    return np.asarray(keras.ops.convert_to_numpy(value))


def _steps(history):
    return history.params.get("steps")


# -- 01 · neural network basics -------------------------------------------------------------

@grader("01.1")
def _01_1(answers, ns):
    model, params = answers
    forbid("Exercise 1", ns, {"count_params", "summary", "get_weights", "weights",
                              "trainable_weights", "kernel", "bias"},
           Hint("Count by hand, layer by layer: Keras' own count (count_params, summary, "
                "the weights) is what the check compares with, not an answer.",
                ko="층마다 손으로 세어 보세요: Keras가 센 값(count_params, summary, 가중치)은 "
                   "답이 아니라 확인에 쓰는 값입니다."))
    layers = [(layer.units, layer.activation.__name__) for layer in model.layers]
    return (tuple(model.input_shape) == (None, 3) and model.compiled
            and layers == [(8, "relu"), (4, "relu"), (1, "linear")]
            and digest(params) == "1b38350cb5b10d6e")


@grader("01.2")
def _01_2(answers, ns):
    val_loss, best_lr = answers
    models, x, y = ns["toy_models"], ns["x_toy_val"], ns["y_toy_val"]
    if sorted(val_loss) != sorted(models):
        return False
    for lr, model in models.items():
        expected = model.evaluate(x, y, verbose=0)
        if not np.isclose(val_loss[lr], expected, rtol=1e-4, equal_nan=True):
            raise Hint("Evaluate each model on the new validation samples, not on the data "
                       "it trained on.",
                       ko="각 모델을 훈련 데이터가 아니라 새 검증 샘플로 평가하세요.")
    finite = {lr: loss for lr, loss in val_loss.items() if np.isfinite(loss)}
    return best_lr == min(finite, key=finite.__getitem__)


def _distance_from_a_line(x, pred):
    """How far predictions are from their best straight line (0: they are a line)."""
    x, pred = np.ravel(x), np.ravel(pred)
    fitted = np.polyval(np.polyfit(x, pred, deg=1), x)
    return np.abs(pred - fitted).max() / (np.abs(pred).max() + 1e-3)


@grader("01.3")
def _01_3(answers, ns):
    model, pred = answers
    x = ns["x_line"]
    if [layer.units for layer in model.layers] != [10, 10, 1]:
        return False
    if not np.allclose(pred, model.predict(x, verbose=0), atol=1e-5):
        raise Hint("ex3_pred must be what your model predicts for x_line.",
                   ko="ex3_pred는 여러분의 모델이 x_line에 대해 예측한 값이어야 합니다.")
    activations = {layer.activation.__name__ for layer in model.layers}
    return activations == {"linear"} and _distance_from_a_line(x, pred) < 1e-4


# -- 02 · one more round of fitting ---------------------------------------------------------

@grader("02.1")
def _02_1(answers, ns):
    history, pred = answers
    forbid("Exercise 1", ns, {"fit_one_more"},
           Hint("Write the round in plain Keras: model.fit, then model.predict.",
                ko="한 라운드를 순수 Keras로 써 보세요: model.fit, 그다음 model.predict."))
    model, train_x, test_x = ns["model"], ns["train_x"], ns["test_x"]
    return (len(history.history["loss"]) == 20
            and _steps(history) == math.ceil(len(train_x) / 20)
            and np.shape(pred) == np.shape(ns["test_y"])
            and np.allclose(pred, model.predict(test_x, verbose=0), atol=1e-5))


@grader("02.2")
def _02_2(answers, ns):
    more, restart = answers
    if restart is more:
        return False
    return restart.history["loss"][0] > 3 * more.history["loss"][-1]


# -- 03 · batch size -------------------------------------------------------------------------

@grader("03.1")
def _03_1(answers, ns):
    model, steps = answers
    expected = 3 * math.ceil(len(ns["train_x"]) / 32)
    return (isinstance(steps, (int, np.integer)) and steps == expected
            and int(_np(model.optimizer.iterations)) == expected)


@grader("03.2")
def _03_2(answers, ns):
    model, history, loss = answers
    sine_x, sine_y = ns["sine_x"], ns["sine_y"]
    steps_32 = ns["EPOCHS"] * math.ceil(len(sine_x) / 32)
    steps_512 = math.ceil(len(sine_x) / 512)
    if _steps(history) != steps_512 or history.params.get("epochs") * steps_512 != steps_32:
        raise Hint("Batch 512 makes fewer steps per epoch than batch 32: keep batch 512 and "
                   "change the number of epochs until the steps match.",
                   ko="배치 512는 에포크당 스텝이 배치 32보다 적습니다: 배치는 512로 두고 "
                      "스텝 수가 같아지도록 에포크 수를 바꾸세요.")
    return (int(_np(model.optimizer.iterations)) == steps_32
            and np.isclose(loss, model.evaluate(sine_x, sine_y, batch_size=len(sine_x),
                                                verbose=0), rtol=1e-4)
            and loss < 1.5 * ns["runs"][32]["final_loss"])


# -- 04 · history and validation -------------------------------------------------------------

@grader("04.1")
def _04_1(answers, ns):
    model, history, held_x, held_y = answers
    train_x, train_y = ns["train_x"], ns["train_y"]
    n_val = len(train_x) - int(len(train_x) * 0.75)
    if _steps(history) != math.ceil((len(train_x) - n_val) / 20):
        raise Hint("Let fit hold the quarter out (validation_split), from the 80 samples.",
                   ko="fit이 80개 샘플에서 4분의 1을 떼어 두게 하세요 (validation_split).")
    return (np.array_equal(held_x, train_x[len(train_x) - n_val:])
            and np.array_equal(held_y, train_y[len(train_y) - n_val:])
            and np.isclose(model.evaluate(held_x, held_y, verbose=0)[0],
                           history.history["val_loss"][-1], rtol=1e-4))


def _same_permutation(x, y, ref_x, ref_y):
    """Whether (x, y) holds every pair (ref_x[i], ref_y[i]) once, in some order."""
    x, y = np.asarray(x).reshape(len(ref_x), -1), np.asarray(y).reshape(len(ref_y), -1)
    ref_x, ref_y = ref_x.reshape(len(ref_x), -1), ref_y.reshape(len(ref_y), -1)
    index = [np.flatnonzero((ref_x == row).all(axis=1)) for row in x]
    if any(len(i) == 0 for i in index):
        return False
    index = np.array([i[0] for i in index])
    return sorted(index) == list(range(len(ref_x))) and np.array_equal(ref_y[index], y)


@grader("04.2")
def _04_2(answers, ns):
    mixed_x, mixed_y, model, history = answers
    train_x, train_y = ns["train_x"], ns["train_y"]
    if len(mixed_x) != len(train_x) or not _same_permutation(mixed_x, mixed_y, train_x, train_y):
        raise Hint("Each x must keep its own y: shuffle both with one permutation.",
                   ko="각 x는 자기 y와 짝을 유지해야 합니다: 하나의 순열로 둘을 함께 섞으세요.")
    held = slice(int(len(mixed_x) * 0.8), None)
    return (np.ptp(mixed_x[held]) > 0.5 * np.ptp(train_x)
            and np.isclose(model.evaluate(mixed_x[held], mixed_y[held], verbose=0)[0],
                           history.history["val_loss"][-1], rtol=1e-4))


# -- 05 · underfitting and overfitting ------------------------------------------------------

@grader("05.1")
def _05_1(answers, ns):
    stopper, model, history = answers
    if stopper.monitor != "val_loss":
        raise Hint("Early stopping watches the validation loss: it is what overfitting raises.",
                   ko="조기 종료는 검증 손실을 지켜봅니다: 과대적합이 올리는 값이 그것입니다.")
    return (stopper.patience == 5
            and len(history.history["loss"]) < len(ns["early_history"].history["loss"])
            and np.isclose(model.evaluate(*ns["val_data"], verbose=0),
                           min(history.history["val_loss"]), rtol=1e-4))


@grader("05.2")
def _05_2(answers, ns):
    import keras

    watcher, watched = answers
    val_loss = watched.history["val_loss"]
    return (isinstance(watcher, keras.callbacks.Callback) and len(val_loss) == 30
            and watcher.best_epoch == int(np.argmin(val_loss)) + 1
            and np.isclose(watcher.lowest, min(val_loss)))


# -- 06 · normalization ----------------------------------------------------------------------

@grader("06.1")
def _06_1(answers, ns):
    norm, model, history = answers
    train_x = ns["train_x"]
    n_fit = int(0.8 * len(train_x))
    return (model.layers[0] is norm
            and np.allclose(_np(norm.mean)[0], train_x[:n_fit].mean(0), rtol=1e-4, atol=1e-6)
            and len(history.history["val_accuracy"]) == 10
            and max(history.history["val_accuracy"]) > 0.9)


@grader("06.2")
def _06_2(answers, ns):
    centred, kappa_centred = answers
    mm = ns["versions"]["min-max 0..1"]
    return (np.allclose(centred, mm - mm.mean(axis=0), atol=1e-6)
            and np.isclose(kappa_centred, ns["condition_number"](centred), rtol=1e-6))


@grader("06.3")
def _06_3(answers, ns):
    import keras

    histories = answers[0]
    reach = ns["epochs_to_reach"]
    if sorted(histories) != ["raw", "standardized"]:
        return False
    for h in histories.values():
        opt = h.model.optimizer
        if not (isinstance(opt, keras.optimizers.SGD)
                and np.isclose(float(_np(opt.learning_rate)), 0.01)
                and len(h.history["loss"]) == 200):
            return False
    return (reach(histories["standardized"].history["loss"], 0.3) is not None
            and reach(histories["raw"].history["loss"], 0.3) is None)


# -- 07 · missing values and outliers ---------------------------------------------------------

@grader("07.1")
def _07_1(answers, ns):
    mask, kept = answers
    train_x, p = ns["train_x"], ns["p"]
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != train_x.shape or abs(mask.mean() - p) > 0.02:
        raise Hint("Simulate: a random boolean mask of train_x's shape, True for about 5% "
                   "of the values, kept in `mask`.",
                   ko="시뮬레이션하세요: train_x와 같은 모양의 무작위 불리언 마스크, 값의 약 5%가 "
                      "True, 이름은 `mask`.")
    return (np.isclose(kept, 1 - mask.any(axis=1).mean())
            and abs(kept - (1 - p) ** train_x.shape[1]) < 0.1)


@grader("07.2")
def _07_2(answers, ns):
    flag_z, flag_iqr = answers
    bmi = ns["bmi_many"]
    z = np.abs(bmi - bmi.mean()) / bmi.std() > 3
    q1, q3 = np.percentile(bmi, [25, 75])
    iqr = (bmi < q1 - 1.5 * (q3 - q1)) | (bmi > q3 + 1.5 * (q3 - q1))
    return (np.shape(flag_z) == np.shape(flag_iqr) == bmi.shape
            and np.array_equal(np.asarray(flag_z, dtype=bool), z)
            and np.array_equal(np.asarray(flag_iqr, dtype=bool), iqr))


@grader("07.3")
def _07_3(answers, ns):
    import keras

    model = answers[0]
    loss = model.loss
    is_mae = (loss in ("mae", "mean_absolute_error")
              or isinstance(loss, keras.losses.MeanAbsoluteError)
              or getattr(loss, "__name__", "") == "mean_absolute_error")
    if not is_mae:
        raise Hint("This exercise is about the mean absolute error: compile with loss='mae'.",
                   ko="이 연습문제는 평균 절대 오차가 주제입니다: loss='mae'로 컴파일하세요.")
    return ns["keras_rmse"](model, ns["val_x"], ns["val_y"]) < ns["target_rmse"]["MSE"] - 10


# -- 08 · weight initialization ---------------------------------------------------------------

@grader("08.1")
def _08_1(answers, ns):
    import keras

    layer = answers[0]
    kernel, bias = layer.get_weights()
    return (layer.units == 32 and layer.activation.__name__ == "relu"
            and isinstance(layer.kernel_initializer, keras.initializers.HeNormal)
            and kernel.shape == (64, 32)
            and abs(np.std(kernel) / np.sqrt(2 / 64) - 1) < 0.1 and np.all(bias == 0))


@grader("08.2")
def _08_2(answers, ns):
    fixed, updates = answers
    first = fixed.layers[0]
    if len(fixed.layers) != 11 or len(updates) != 11:
        return False
    again = ns["update_sizes"](ns["deep_net"](type(first.kernel_initializer).__name__,
                                              first.activation.__name__),
                               ns["train_x"][:256], ns["train_y"][:256])
    if not np.allclose(updates, again, rtol=1e-3):
        raise Hint("Measure the update sizes of your network with update_sizes.",
                   ko="여러분의 네트워크의 업데이트 크기를 update_sizes로 측정하세요.")
    return updates[0] > 0.1 * updates[9]


@grader("08.3")
def _08_3(answers, ns):
    he_std, lecun_std = answers
    forbid("Exercise 3", ns, {"keras", "std", "get_weights", "build", "kernel"},
           Hint("Predict it from the table: no layer, no measurement.",
                ko="표에서 예측하세요: 층도, 측정도 없이."))
    return (np.isclose(he_std, math.sqrt(2 / 784), rtol=1e-3)
            and np.isclose(lecun_std, math.sqrt(1 / 784), rtol=1e-3))


# -- 09 · regularization ---------------------------------------------------------------------

@grader("09.1")
def _09_1(answers, ns):
    import keras

    model, history = answers
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    dropout = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    l2 = [layer.kernel_regularizer for layer in dense
          if isinstance(layer.kernel_regularizer, keras.regularizers.L2)]
    return (len(dropout) == 2 and all(np.isclose(d.rate, 0.3) for d in dropout)
            and len(l2) == 2 and all(np.isclose(r.l2, 1e-3) for r in l2)
            and ns["gap"](model, history) < ns["stats"]["none"]["gap"])


@grader("09.2")
def _09_2(answers, ns):
    penalty = answers[0]
    forbid("Exercise 2", ns, {"losses", "regularizer", "kernel_regularizer"},
           Hint("By hand: the penalty Keras adds (model.losses) is what the check compares "
                "with; compute yours from the weights.",
                ko="손으로 계산하세요: Keras가 더하는 페널티(model.losses)는 확인에 쓰는 값입니다; "
                   "가중치로 직접 계산하세요."))
    model = ns["variants"]["L2(1e-3)"]
    keras_penalty = sum(float(_np(p)) for p in model.losses)
    return np.isclose(float(penalty), keras_penalty, rtol=1e-4)


@grader("09.3")
def _09_3(answers, ns):
    layer, predicted = answers
    forbid("Exercise 3", ns, {"moving_mean", "get_weights", "weights", "variables"},
           Hint("Predict it from the update rule, without reading the layer's moving mean.",
                ko="층의 이동 평균을 읽지 말고, 갱신 규칙으로 예측하세요."))
    x = ns["x"]
    return (np.allclose(_np(layer.moving_mean), np.asarray(predicted), rtol=1e-3)
            and np.allclose(np.asarray(predicted), x.mean(axis=0) * (1 - 0.99 ** 50), rtol=1e-3))


# -- 10 · Iris ---------------------------------------------------------------------------------

@grader("10.1")
def _10_1(answers, ns):
    import keras

    ce = answers[0]
    forbid("Exercise 1", ns, {"keras", "losses", "crossentropy"},
           Hint("By hand, with NumPy only: the Keras loss is what the check compares with.",
                ko="NumPy만으로 손으로 계산하세요: Keras 손실은 확인에 쓰는 값입니다."))
    p = ns["p_ex"]
    expected = float(_np(keras.losses.sparse_categorical_crossentropy(np.array([2]), p))[0])
    return np.isclose(float(ce), expected, rtol=1e-4)


@grader("10.2")
def _10_2(answers, ns):
    model, history = answers
    return (tuple(model.input_shape) == (None, 2) and tuple(model.output_shape) == (None, 3)
            and len(history.history["val_accuracy"]) == 20
            and _steps(history) == math.ceil(len(ns["train_x"]) / 16)
            and max(history.history["val_accuracy"]) > 0.5)


@grader("10.3")
def _10_3(answers, ns):
    model, history = answers
    return (tuple(model.output_shape) == (None, 3)
            and model.layers[-1].activation.__name__ == "softmax"
            and len(history.history["val_accuracy"]) == 20
            and max(history.history["val_accuracy"]) > 0.6)


# -- 11 · MNIST --------------------------------------------------------------------------------

@grader("11.1")
def _11_1(answers, ns):
    n_hidden, n_output = answers
    forbid("Exercise 1", ns, {"count_params", "summary", "get_weights", "weights",
                              "trainable_weights", "kernel", "bias", "size"},
           Hint("Count by hand: Keras' own count (count_params, summary) is what the check "
                "compares with, not an answer.",
                ko="손으로 세어 보세요: Keras가 센 값(count_params, summary)은 답이 아니라 "
                   "확인에 쓰는 값입니다."))
    return digest(n_hidden) == "ec2b79b45d809c6d" and digest(n_output) == "3a59758ca61b1b94"


@grader("11.2")
def _11_2(answers, ns):
    model, history = answers
    dense = [layer for layer in model.layers if hasattr(layer, "units")]
    return ([(d.units, d.activation.__name__) for d in dense]
            == [(100, "relu"), (50, "relu"), (10, "softmax")]
            and len(history.history["val_accuracy"]) == 3
            and history.history["val_accuracy"][-1] > 0.5)


@grader("11.3")
def _11_3(answers, ns):
    import keras

    flat = answers[0]
    forbid("Exercise 3", ns, {"keras", "Flatten"},
           Hint("With NumPy only: Keras' Flatten is what the check compares with.",
                ko="NumPy만 쓰세요: Keras의 Flatten은 확인에 쓰는 값입니다."))
    images = ns["test_x01"]
    return np.array_equal(flat, _np(keras.layers.Flatten()(images)))

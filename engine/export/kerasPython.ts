// Python definitions a Keras script needs for what Keras does not have built in: the maxout layer and
// Model Lab's warmup, cyclic and one-cycle learning-rate schedules. Each follows Model Lab's own
// formulas (engine/train/customLayers/maxout.ts, engine/train/schedules.ts) step for step.

export const MAXOUT_PY = `class Maxout(layers.Layer):
    """Maxout (Goodfellow et al. 2013): \`units\` outputs, each the largest of \`pieces\` linear
    functions of the input. Keras has no such layer; this is Model Lab's."""

    def __init__(self, units, pieces, use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.units, self.pieces = units, pieces
        self.options = dict(use_bias=use_bias, kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer)
        self.linear = layers.Dense(units * pieces, use_bias=use_bias, kernel_initializer=kernel_initializer,
                                   bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                                   bias_regularizer=bias_regularizer)

    def call(self, x):
        z = self.linear(x)
        z = keras.ops.reshape(z, (-1, *z.shape[1:-1], self.units, self.pieces))
        return keras.ops.max(z, axis=-1)

    def get_config(self):
        options = {k: keras.saving.serialize_keras_object(v) for k, v in self.options.items()}
        return {**super().get_config(), "units": self.units, "pieces": self.pieces, **options}
`;

export const WARMUP_PY = `class Warmup(keras.optimizers.schedules.LearningRateSchedule):
    """Model Lab's warmup before the main schedule: "gradual" climbs linearly to the main schedule's
    first value over \`steps\` steps (Goyal et al. 2017); "constant" trains at learning_rate * factor."""

    def __init__(self, main, steps, mode, learning_rate, factor=1.0):
        self.main, self.steps, self.mode, self.learning_rate, self.factor = main, steps, mode, learning_rate, factor

    def rate(self, step):
        return self.main(step) if callable(self.main) else self.main

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        if self.mode == "gradual":
            during = self.rate(0.0) * (step + 1.0) / self.steps
        else:
            during = self.learning_rate * self.factor
        return keras.ops.where(step < self.steps, during, self.rate(keras.ops.maximum(step - self.steps, 0.0)))

    def get_config(self):
        main = keras.saving.serialize_keras_object(self.main) if callable(self.main) else self.main
        return {"main": main, "steps": self.steps, "mode": self.mode, "learning_rate": self.learning_rate, "factor": self.factor}
`;

export const CYCLIC_PY = `class Cyclic(keras.optimizers.schedules.LearningRateSchedule):
    """Cyclical learning rate (Smith 2017): a triangle between learning_rate and max_learning_rate,
    2 * step_size steps a cycle; triangular2 halves it every cycle, exp_range scales it by gamma ** step."""

    def __init__(self, learning_rate, max_learning_rate, step_size, mode="triangular", gamma=1.0):
        self.learning_rate, self.max_learning_rate = learning_rate, max_learning_rate
        self.step_size, self.mode, self.gamma = step_size, mode, gamma

    def __call__(self, step):
        t = keras.ops.cast(step, "float32")
        cycle = keras.ops.floor(1.0 + t / (2.0 * self.step_size))
        x = keras.ops.abs(t / self.step_size - 2.0 * cycle + 1.0)
        if self.mode == "triangular2":
            scale = 1.0 / keras.ops.power(2.0, cycle - 1.0)
        elif self.mode == "exp_range":
            scale = keras.ops.power(self.gamma, t)
        else:
            scale = 1.0
        return self.learning_rate + (self.max_learning_rate - self.learning_rate) * keras.ops.maximum(0.0, 1.0 - x) * scale

    def get_config(self):
        return {"learning_rate": self.learning_rate, "max_learning_rate": self.max_learning_rate, "step_size": self.step_size,
                "mode": self.mode, "gamma": self.gamma}
`;

export const ONE_CYCLE_PY = `class OneCycle(keras.optimizers.schedules.LearningRateSchedule):
    """One-cycle policy (Smith & Topin 2018), cosine version: from learning_rate / div_factor up to
    learning_rate over pct_start of the steps, then down to that / final_div_factor."""

    def __init__(self, learning_rate, total_steps, pct_start, div_factor, final_div_factor):
        self.config = dict(learning_rate=learning_rate, total_steps=total_steps, pct_start=pct_start,
                           div_factor=div_factor, final_div_factor=final_div_factor)
        self.learning_rate, self.total_steps = learning_rate, total_steps
        self.up = max(1, round(pct_start * total_steps))
        self.initial = learning_rate / div_factor
        self.final = self.initial / final_div_factor

    def __call__(self, step):
        t = keras.ops.cast(step, "float32")

        def anneal(start, end, p):
            return end + (start - end) / 2.0 * (1.0 + keras.ops.cos(math.pi * p))

        rising = anneal(self.initial, self.learning_rate, t / self.up)
        falling = anneal(self.learning_rate, self.final, keras.ops.minimum(1.0, (t - self.up) / max(1, self.total_steps - self.up)))
        return keras.ops.where(t < self.up, rising, falling)

    def get_config(self):
        return dict(self.config)
`;

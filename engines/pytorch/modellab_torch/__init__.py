"""Model Lab's PyTorch engine: the model file's network, losses and optimizers with the tfjs
engine's (Keras's) meaning, trained by a runner speaking the host's protocol (docs/engines.md)."""

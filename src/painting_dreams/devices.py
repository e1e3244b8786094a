"""What TensorFlow computes on, said once at the start of every training."""

from __future__ import annotations

import tensorflow as tf


def tensorflow_devices() -> str:
    """One line naming TensorFlow's devices, e.g. ``"TensorFlow 2.21.0 on GPU:0 (NVIDIA A10G), CPU:0"`` or
    ``"TensorFlow 2.21.0 on CPU:0 (no GPU visible: ...)"`` with the reason when it can tell one."""
    gpus = tf.config.list_physical_devices("GPU")
    names = []
    for gpu in gpus:
        short = gpu.name.removeprefix("/physical_device:")
        detail = tf.config.experimental.get_device_details(gpu).get("device_name")
        names.append(f"{short} ({detail})" if detail else short)
    names += [d.name.removeprefix("/physical_device:") for d in tf.config.list_physical_devices("CPU")]
    line = f"TensorFlow {tf.__version__} on {', '.join(names)}"
    if not gpus:
        built = tf.test.is_built_with_cuda()
        line += (" (no GPU visible: this TensorFlow is built with CUDA, check the driver and CUDA_VISIBLE_DEVICES)"
                 if built else " (no GPU: this is the CPU build of TensorFlow; `make install GPU=1` installs the CUDA one)")
    return line

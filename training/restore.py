"""Rebuild the PyTorch network of a shipped model from its GPU (fp16) ONNX file.

The GPU variant is exported without constant folding, so its initializers carry the PyTorch parameter
names; the word embeddings are stored as int8 rows with per-row scales. The result is the fine-tuned model
with fp16-rounded weights, in fp32: the reference the benchmark compares against.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from framing.model import ModelConfig
from training.export import WORD_EMBEDDINGS
from training.modeling import FramingModel


def onnx_weights(path: Path) -> dict[str, np.ndarray]:
    """Named initializers of an ONNX file as fp32 arrays (int8 embedding rows dequantised)."""
    import onnx
    from onnx import numpy_helper

    arrays = {i.name: numpy_helper.to_array(i) for i in onnx.load(str(path)).graph.initializer}
    quantised, scale = arrays.pop(f"{WORD_EMBEDDINGS}.int8", None), arrays.pop(f"{WORD_EMBEDDINGS}.scale", None)
    if quantised is not None and scale is not None:
        arrays[WORD_EMBEDDINGS] = quantised.astype(np.float32) * scale.astype(np.float32)
    return {name: array.astype(np.float32) for name, array in arrays.items() if array.dtype.kind == "f"}


def load_torch_model(model_dir: str | Path, base: str | Path | None = None) -> FramingModel:
    """The fine-tuned network of a model folder, in PyTorch (eval mode, fp32)."""
    config = ModelConfig.read(model_dir)
    if not config.gpu_file:
        raise ValueError(f"{model_dir}: no GPU variant to read weights from")
    model = FramingModel.from_base(base)
    weights = onnx_weights(Path(model_dir) / config.gpu_file)
    state = model.state_dict()
    # The pooler and position ids are not used by the forward pass, so the graph does not hold them.
    unused = ("encoder.pooler.", "encoder.embeddings.position_ids")
    missing = [name for name in state if name not in weights and not name.startswith(unused)]
    if missing:
        raise ValueError(f"{model_dir}: weights missing from the ONNX file: {', '.join(missing[:5])}")
    model.load_state_dict(
        {name: torch.from_numpy(weights[name]) if name in weights else t for name, t in state.items()}
    )
    return model.eval()

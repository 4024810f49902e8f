"""Fine-tuning, evaluation, ONNX export and corpus tooling for framing (the ``train`` extra)."""

"""What ``framing info`` prints: model summary, labels, measured metrics, providers and versions."""

from __future__ import annotations

import json
import platform
from importlib import metadata

from framing.model import METRICS_FILE, ModelConfig, available_providers, default_model_path


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe(path: str | None = None) -> str:
    """A plain-text summary of a model folder and the runtime."""
    config = ModelConfig.read(path if path is not None else default_model_path())
    lines = [
        f"model: {config.raw.get('name', config.path.name)} ({config.path})",
        f"base: {config.raw.get('base_model', 'unknown')}",
        f"max length: {config.max_length} tokens",
        f"stance labels: {', '.join(config.stance_labels)}",
        f"subtext labels: {', '.join(config.subtext_labels)}",
        "temperatures: " + ", ".join(f"{k} {v:.3f}" for k, v in config.temperatures.items()),
        f"files: cpu {config.cpu_file}, gpu {config.gpu_file or 'none'}",
    ]
    metrics_path = config.path / METRICS_FILE
    if metrics_path.is_file():
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        test = metrics.get("test", {})
        if test:
            lines.append(
                f"test (held-out cue phrases, n={test.get('n')}): stance macro-F1 {test['stance']['macro_f1']:.3f}, "
                f"subtext macro-F1 {test['subtext']['macro_f1']:.3f}, euphemism F1 {test['euphemism_f1']:.3f}"
            )
    lines += [
        f"providers: {', '.join(available_providers())}",
        "versions: "
        + ", ".join(f"{p} {_version(p)}" for p in ("framing", "onnxruntime", "onnxruntime-gpu", "tokenizers", "numpy"))
        + f", python {platform.python_version()}",
    ]
    return "\n".join(lines)

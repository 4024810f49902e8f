"""A model folder: its config, the check that it matches the label schema, and its onnxruntime session."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from framing.errors import ModelError
from framing.labels import CUE_TAGS, STANCES, SUBTEXTS

CONFIG_FILE = "config.json"
TOKENIZER_FILE = "tokenizer.json"
CARD_FILE = "MODEL_CARD.md"
METRICS_FILE = "metrics.json"
OUTPUTS = {"stance": "stance_logits", "subtext": "subtext_logits", "cue": "cue_logits"}
DEVICES = ("auto", "cpu", "cuda")


def default_model_path() -> Path:
    """``$FRAMING_MODEL`` if set, else the shipped ``models/default`` beside the package."""
    env = os.environ.get("FRAMING_MODEL")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "models" / "default"


#: A token belongs to a cue when P(B or I) exceeds the model's threshold (``cue_threshold`` in config.json,
#: chosen on dev by training); this is the value for models that do not say.
DEFAULT_CUE_THRESHOLD = 0.3


@dataclass(frozen=True)
class ModelConfig:
    """What ``config.json`` in a model folder says."""

    path: Path
    max_length: int
    stance_labels: tuple[str, ...]
    subtext_labels: tuple[str, ...]
    cue_tags: tuple[str, ...]
    temperatures: dict[str, float]
    cue_threshold: float
    cpu_file: str
    gpu_file: str | None
    data_files: tuple[str, ...]
    raw: dict

    @classmethod
    def read(cls, path: str | Path) -> ModelConfig:
        """Read and check a model folder's config; raise :class:`ModelError` saying what is wrong."""
        folder = Path(path)
        if not folder.is_dir():
            raise ModelError(f"model folder {folder} does not exist")
        config_path = folder / CONFIG_FILE
        try:
            raw = json.loads(config_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelError(f"{folder} is not a framing model: {CONFIG_FILE} is missing") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{config_path}: unreadable config ({exc})") from None
        try:
            config = cls(
                path=folder,
                max_length=int(raw["max_length"]),
                stance_labels=tuple(raw["labels"]["stance"]),
                subtext_labels=tuple(raw["labels"]["subtext"]),
                cue_tags=tuple(raw["labels"].get("cue", CUE_TAGS)),
                temperatures={k: float(v) for k, v in raw.get("temperature", {}).items()},
                cue_threshold=float(raw.get("cue_threshold", DEFAULT_CUE_THRESHOLD)),
                cpu_file=str(raw["files"]["cpu"]),
                gpu_file=raw["files"].get("gpu"),
                data_files=tuple(raw["files"].get("data", ())),
                raw=raw,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{config_path}: missing or invalid field {exc}") from None
        if set(config.stance_labels) != set(STANCES) or set(config.subtext_labels) != set(SUBTEXTS):
            raise ModelError(f"{config_path}: labels do not match the framing schema")
        for name in (TOKENIZER_FILE, config.cpu_file, *config.data_files):
            if not (folder / name).is_file():
                raise ModelError(f"{folder} is incomplete: {name} is missing")
        return config

    def temperature(self, head: str) -> float:
        """Calibration temperature of a head (1.0 when the model has none)."""
        return self.temperatures.get(head, 1.0)


def available_providers() -> list[str]:
    """Execution providers this onnxruntime build offers."""
    import onnxruntime

    return list(onnxruntime.get_available_providers())


def choose_variant(config: ModelConfig, device: str) -> tuple[Path, list[str]]:
    """The ONNX file and providers for ``device`` (auto, cpu or cuda)."""
    if device not in DEVICES:
        raise ModelError(f"unknown device {device!r}: use auto, cpu or cuda")
    has_cuda = "CUDAExecutionProvider" in available_providers()
    gpu_file = config.path / config.gpu_file if config.gpu_file else None
    gpu_ready = has_cuda and gpu_file is not None and gpu_file.is_file()
    if device == "cuda" and not gpu_ready:
        why = "this model has no GPU variant" if has_cuda else "onnxruntime-gpu with CUDA is not available"
        raise ModelError(f"device cuda requested but {why}")
    if device == "cuda" or (device == "auto" and gpu_ready):
        return gpu_file, ["CUDAExecutionProvider", "CPUExecutionProvider"]  # type: ignore[return-value]
    return config.path / config.cpu_file, ["CPUExecutionProvider"]


def create_session(config: ModelConfig, device: str = "auto", threads: int | None = None):
    """An onnxruntime session on the chosen variant, checked against the config's labels."""
    import onnxruntime

    file, providers = choose_variant(config, device)
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = onnxruntime.InferenceSession(str(file), sess_options=options, providers=providers)
    except Exception as exc:  # onnxruntime raises its own exception types for corrupt graphs
        raise ModelError(f"{file}: cannot be loaded by onnxruntime ({str(exc).splitlines()[0][:200]})") from None
    if device == "cuda" and "CUDAExecutionProvider" not in session.get_providers():
        raise ModelError(
            "device cuda requested but onnxruntime could not start CUDA (check the driver and CUDA libraries)"
        )
    outputs = {o.name: o.shape for o in session.get_outputs()}
    expected = {
        OUTPUTS["stance"]: len(config.stance_labels),
        OUTPUTS["subtext"]: len(config.subtext_labels),
        OUTPUTS["cue"]: len(config.cue_tags),
    }
    for name, size in expected.items():
        if name not in outputs:
            raise ModelError(f"{file}: the graph has no output {name!r}")
        if outputs[name][-1] != size:
            raise ModelError(f"{file}: output {name} has {outputs[name][-1]} classes, config lists {size}")
    return session

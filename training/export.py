"""ONNX export, int8 and fp16 variants, and the gates every exported model must pass."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import torch

from framing.errors import FramingError
from framing.labels import STANCES, SUBTEXTS
from framing.metrics import head_report
from framing.model import OUTPUTS
from framing.tokens import TextEncoder, TokenBatch
from training.modeling import FramingModel

OPSET = 17
PARITY_TOLERANCE = 1e-4
#: Smoothing reorders floating-point products, so its fp32 graph matches fp32 a little less closely.
SMOOTHED_TOLERANCE = 1e-3
MIN_INT8_AGREEMENT = 0.98  # of sure sentences and of cue tokens; also applied to the fp16 GPU model
MAX_INT8_F1_DROP = 0.01


class GateError(FramingError):
    """An exported model failed a parity or accuracy gate."""


def export_fp32(model: FramingModel, path: Path, fold_constants: bool = True) -> None:
    """Export with the legacy tracer at opset 17, dynamic batch and sequence axes.

    Without constant folding every weight keeps its PyTorch parameter name (onnxruntime folds the
    transposes when it loads the graph), so the weights can be read back from the ONNX file.
    """
    model.eval()
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.long)
    mask = (ids != 0).long()
    names = [OUTPUTS["stance"], OUTPUTS["subtext"], OUTPUTS["cue"]]
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}}
    axes.update({names[0]: {0: "batch"}, names[1]: {0: "batch"}, names[2]: {0: "batch", 1: "sequence"}})
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, mask),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=names,
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=fold_constants,
            dynamo=False,
        )


WORD_EMBEDDINGS = "encoder.embeddings.word_embeddings.weight"


def compress_embeddings(source: Path, out: Path, name: str = WORD_EMBEDDINGS) -> None:
    """Store the word-embedding table as int8 rows with one fp32 scale per row.

    The lookup becomes Gather(int8) -> Cast -> Mul(Gather(scale)). Per-row scales keep the error far
    below int8 matrix quantisation, and the table (most of the model's bytes) shrinks fourfold.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    table = next(i for i in graph.initializer if i.name == name)
    weights = numpy_helper.to_array(table).astype(np.float32)
    scale = np.maximum(np.abs(weights).max(axis=1, keepdims=True), 1e-12) / 127.0
    quantised = np.clip(np.round(weights / scale), -127, 127).astype(np.int8)
    graph.initializer.remove(table)
    graph.initializer.extend(
        [numpy_helper.from_array(quantised, f"{name}.int8"), numpy_helper.from_array(scale, f"{name}.scale")]
    )
    for position, node in enumerate(graph.node):
        if node.op_type == "Gather" and node.input[0] == name:
            ids, result = node.input[1], node.output[0]
            replacement = [
                helper.make_node("Gather", [f"{name}.int8", ids], [f"{result}.int8"], axis=0),
                helper.make_node("Cast", [f"{result}.int8"], [f"{result}.cast"], to=TensorProto.FLOAT),
                helper.make_node("Gather", [f"{name}.scale", ids], [f"{result}.scale"], axis=0),
                helper.make_node("Mul", [f"{result}.cast", f"{result}.scale"], [result]),
            ]
            graph.node.remove(node)
            for offset, new in enumerate(replacement):
                graph.node.insert(position + offset, new)
            break
    else:
        raise ValueError(f"no Gather reads {name}")
    onnx.checker.check_model(model)
    onnx.save(model, str(out))


#: SmoothQuant's migration strength: how much of each input channel's range moves into the weights
#: (0.5, 0.7, 0.8, 0.9 and 1.0 were tried on a trained model's dev split; 0.7 to 0.9 agreed best with fp32).
SMOOTHING_ALPHA = 0.8


class SmoothedLinear(torch.nn.Module):
    """``linear(x)`` computed as ``(x / s) @ (W * s)^T + b``: the same function, with each input channel's
    range ``s`` moved from the activations into the weights, which per-channel int8 weights absorb."""

    def __init__(self, linear: torch.nn.Linear, scale: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("inverse_scale", (1.0 / scale).to(linear.weight.dtype))
        self.weight = torch.nn.Parameter(linear.weight.detach() * scale[None, :], requires_grad=False)
        self.bias = linear.bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.linear(x * self.inverse_scale, self.weight, self.bias)


def smooth_activations(
    model: FramingModel, batches: Iterable[TokenBatch], alpha: float = SMOOTHING_ALPHA
) -> FramingModel:
    """A copy of ``model`` prepared for per-tensor dynamic int8 activations (SmoothQuant, Xiao et al. 2023).

    A few input channels of the feed-forward and attention-output projections carry values far larger than
    the rest, and one int8 scale per tensor then leaves the other channels with a handful of levels. Each
    projection's input channel j is divided by ``s_j = max|x_j|^alpha / max|W_j|^(1 - alpha)`` (measured on
    ``batches``) and its weights multiplied by it: the fp32 function is unchanged.
    """
    import copy

    smoothed = copy.deepcopy(model).eval()
    targets = [
        (parent, "dense")
        for layer in smoothed.encoder.encoder.layer
        for parent in (layer.attention.output, layer.intermediate, layer.output)
    ]
    peaks: dict = {}

    def hook(key):
        def record(module, inputs, output):
            peak = inputs[0].detach().abs().amax(dim=tuple(range(inputs[0].dim() - 1)))
            peaks[key] = peak if key not in peaks else torch.maximum(peaks[key], peak)

        return record

    handles = [getattr(parent, name).register_forward_hook(hook((parent, name))) for parent, name in targets]
    with torch.no_grad():
        for batch in batches:
            smoothed(torch.from_numpy(batch.input_ids), torch.from_numpy(batch.attention_mask))
    for handle in handles:
        handle.remove()
    for parent, name in targets:
        linear = getattr(parent, name)
        weight_peak = linear.weight.detach().abs().amax(dim=0).clamp(min=1e-5)
        scale = (peaks[(parent, name)].clamp(min=1e-5) ** alpha / weight_peak ** (1 - alpha)).clamp(min=1e-5)
        setattr(parent, name, SmoothedLinear(linear, scale))
    return smoothed


def _nothing(name: str) -> bool:
    return False


def _ffn_output(name: str) -> bool:
    return name.endswith("/output/dense/MatMul") and "/attention/" not in name


def _ffn(name: str) -> bool:
    return _ffn_output(name) or name.endswith("/intermediate/dense/MatMul")


#: Which matrix multiplications stay fp32, from fastest to most faithful. The export takes the first level
#: that keeps the int8 model as accurate as fp32 on the dev split (see ``choose_quantisation``).
QUANTISATION_LEVELS: dict[str, object] = {"all-int8": _nothing, "ffn-output-fp32": _ffn_output, "ffn-fp32": _ffn}
#: A level is taken when, on dev, it loses at most this much macro-F1 on either head, ...
DEV_MAX_F1_DROP = 0.005
#: ... or at most this much when it does not make significantly more errors than fp32 on that head (exact
#: one-sided McNemar test at ``DEV_ERRORS_ALPHA``): on a few hundred dev sentences a handful of flipped
#: near-ties moves macro-F1 by half a point either way, so a larger drop alone is not evidence of a loss ...
DEV_NOISE_F1_DROP = 0.01
DEV_ERRORS_ALPHA = 0.05
#: ... and gives the same label as fp32 on at least this share of the sentences fp32 is sure about.
DEV_AGREEMENT_TARGET = 0.985
#: fp32 is "sure" of a sentence when its top two probabilities are at least this far apart. Nearer ties
#: are coin flips that even the composition of a batch can turn (activations are quantised per batch).
SURE_MARGIN = 0.2


def quantize_int8(fp32: Path, out: Path, level: str = "all-int8") -> None:
    """Dynamic int8 quantisation, per channel, of the encoder's matrix multiplications (the CPU model).

    Weights use 7 bits (``reduce_range``): on CPUs without VNNI, onnxruntime's u8 x s8 kernels add pairs of
    products in 16 bits, which 8-bit weights can overflow; with 7 bits they cannot, so those CPUs compute the
    same integer products as CPUs with VNNI. ``level`` names the matrix multiplications that stay fp32.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    keep = QUANTISATION_LEVELS[level]
    graph = onnx.load(str(fp32)).graph
    quantize_dynamic(
        str(fp32),
        str(out),
        per_channel=True,
        reduce_range=True,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul"],
        nodes_to_exclude=[n.name for n in graph.node if n.op_type == "MatMul" and keep(n.name)],  # type: ignore[operator]
    )


def more_errors_p(reference: Sequence[int], other: Sequence[int], truth: Sequence[int]) -> float:
    """One-sided exact McNemar p-value for "``other`` makes more errors than ``reference``": the chance of at
    least as many sentences lost (right -> wrong) among those that changed correctness, if both were as
    likely. 1.0 when ``other`` loses no more sentences than it wins."""
    pairs = list(zip(reference, other, truth))
    lost = sum(r == t and o != t for r, o, t in pairs)
    won = sum(r != t and o == t for r, o, t in pairs)
    changed = lost + won
    if lost <= won:
        return 1.0
    return sum(math.comb(changed, k) for k in range(lost, changed + 1)) / 2**changed


def level_passes(sure: dict, drop: dict, p_more_errors: dict) -> bool:
    """The dev acceptance rule of a quantisation level (see ``DEV_MAX_F1_DROP`` and what follows it)."""
    if min(sure.values()) < DEV_AGREEMENT_TARGET:
        return False
    return all(
        drop[head] <= DEV_MAX_F1_DROP or (drop[head] <= DEV_NOISE_F1_DROP and p_more_errors[head] >= DEV_ERRORS_ALPHA)
        for head in drop
    )


def choose_quantisation(
    source: Path,
    reference: dict,
    out: Path,
    encoder: TextEncoder,
    dev_texts: Sequence[str],
    stance_true: Sequence[str],
    subtext_true: Sequence[str],
    log=print,
) -> dict:
    """Quantise ``source`` at the fastest level that, on dev, agrees with the fp32 ``reference`` logits on
    ``DEV_AGREEMENT_TARGET`` of the sentences fp32 is sure of and loses at most ``DEV_MAX_F1_DROP`` macro-F1
    per head (or ``DEV_NOISE_F1_DROP`` without significantly more errors); the last level otherwise."""
    f1_fp32 = macro_f1s(reference, stance_true, subtext_true)
    truth = {"stance": [STANCES.index(s) for s in stance_true], "subtext": [SUBTEXTS.index(s) for s in subtext_true]}
    fp32_labels = {head: reference[head].argmax(1).tolist() for head in truth}
    tried = {}
    for level in QUANTISATION_LEVELS:
        quantize_int8(source, out, level)
        logits = onnx_logits(out, encoder, dev_texts)
        sure, f1 = sure_agreement(reference, logits), macro_f1s(logits, stance_true, subtext_true)
        drop = {head: f1_fp32[head] - f1[head] for head in ("stance", "subtext")}
        p_more = {head: more_errors_p(fp32_labels[head], logits[head].argmax(1).tolist(), truth[head]) for head in drop}
        tried[level] = {
            "agreement": agreement(reference, logits),
            "sure_agreement": sure,
            "f1_drop": drop,
            "p_more_errors": p_more,
        }
        log(
            f"int8 ({level}), dev: agreement where fp32 is sure "
            + ", ".join(f"{k} {v:.1%}" for k, v in sure.items())
            + "; macro-F1 lost "
            + ", ".join(f"{k} {v * 100:+.2f} (p {p_more[k]:.2f})" for k, v in drop.items())
        )
        if level_passes(sure, drop, p_more):
            return {"level": level, "accepted": True, "dev": tried}
    return {"level": level, "accepted": False, "dev": tried}


def share_initializer(models: Sequence[Path], name: str, data_file: Path) -> None:
    """Move one identical initializer of several ONNX files into a single external data file they share."""
    import onnx
    from onnx import numpy_helper
    from onnx.external_data_helper import set_external_data

    payload = None
    for path in models:
        model = onnx.load(str(path))
        tensor = next(t for t in model.graph.initializer if t.name == name)
        data = numpy_helper.to_array(tensor).tobytes()
        if payload is None:
            payload = data
            data_file.write_bytes(payload)
        elif data != payload:
            raise ValueError(f"{name} differs between {models[0].name} and {path.name}")
        set_external_data(tensor, location=data_file.name, offset=0, length=len(data))
        tensor.ClearField("raw_data")
        tensor.data_location = onnx.TensorProto.EXTERNAL
        onnx.save(model, str(path))


def convert_fp16(fp32: Path, out: Path) -> None:
    """fp16 weights and compute with fp32 inputs and outputs (the GPU model)."""
    import onnx
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model = convert_float_to_float16(onnx.load(str(fp32)), keep_io_types=True)
    onnx.save(model, str(out))


def onnx_logits(path: Path, encoder: TextEncoder, texts: Sequence[str], batch_size: int = 64) -> dict:
    """Logits from an ONNX file in input order (cue logits per sentence, unpadded)."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    stance = np.zeros((len(texts), len(STANCES)), dtype=np.float32)
    subtext = np.zeros((len(texts), len(SUBTEXTS)), dtype=np.float32)
    cue: list[np.ndarray | None] = [None] * len(texts)
    for batch in encoder.batches(texts, batch_size):
        s, t, c = session.run(
            [OUTPUTS["stance"], OUTPUTS["subtext"], OUTPUTS["cue"]],
            {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask},
        )
        stance[batch.rows], subtext[batch.rows] = s, t
        for r, i in enumerate(batch.rows):
            cue[i] = c[r, : int(batch.attention_mask[r].sum())]
    return {"stance": stance, "subtext": subtext, "cue": cue}


def sure_agreement(reference: dict, other: dict, margin: float = SURE_MARGIN) -> dict:
    """Share of identical labels per head among the sentences where ``reference``'s top two probabilities
    (softmax of the raw logits) are at least ``margin`` apart."""
    from framing.classifier import softmax

    result = {}
    for head in ("stance", "subtext"):
        probs = np.sort(softmax(reference[head]), axis=1)
        sure = probs[:, -1] - probs[:, -2] >= margin
        same = reference[head].argmax(1) == other[head].argmax(1)
        result[head] = float(same[sure].mean()) if sure.any() else 1.0
    return result


def max_difference(a: dict, b: dict) -> float:
    """Largest absolute logit difference over the three outputs."""
    diffs = [np.abs(a["stance"] - b["stance"]).max(), np.abs(a["subtext"] - b["subtext"]).max()]
    diffs += [np.abs(x - y).max() for x, y in zip(a["cue"], b["cue"])]
    return float(max(diffs))


def agreement(a: dict, b: dict) -> dict:
    """Share of identical argmax predictions per head (cue: per token)."""
    cue_a = np.concatenate([x.argmax(-1) for x in a["cue"]])
    cue_b = np.concatenate([x.argmax(-1) for x in b["cue"]])
    return {
        "stance": float((a["stance"].argmax(1) == b["stance"].argmax(1)).mean()),
        "subtext": float((a["subtext"].argmax(1) == b["subtext"].argmax(1)).mean()),
        "cue_tokens": float((cue_a == cue_b).mean()),
    }


def macro_f1s(logits: dict, stance_true: Sequence[str], subtext_true: Sequence[str]) -> dict:
    return {
        "stance": head_report(stance_true, [STANCES[i] for i in logits["stance"].argmax(1)], STANCES)["macro_f1"],
        "subtext": head_report(subtext_true, [SUBTEXTS[i] for i in logits["subtext"].argmax(1)], SUBTEXTS)["macro_f1"],
    }


def check_gates(
    torch_logits: dict,
    fp32: dict,
    int8: dict,
    stance_true,
    subtext_true,
    fp16: dict | None = None,
    smoothed: tuple[dict, dict] | None = None,
) -> dict:
    """Parity (fp32 ONNX vs PyTorch), int8 and fp16 fidelity; raises :class:`GateError` on failure.

    ``smoothed`` holds the logits of the fp32 graph (with compressed embeddings) and of its smoothed copy,
    which int8 is quantised from: they must match. int8 labels must agree with fp32 on ``MIN_INT8_AGREEMENT``
    of the sentences fp32 is sure of (``SURE_MARGIN``) and cue tags on as many tokens; int8 may lose at most
    ``MAX_INT8_F1_DROP`` macro-F1.
    """
    difference = max_difference(torch_logits, fp32)
    agree = agreement(fp32, int8)
    sure = sure_agreement(fp32, int8)
    fp16_agree = agreement(fp32, fp16) if fp16 else {}
    fp16_sure = {**sure_agreement(fp32, fp16), "cue_tokens": fp16_agree["cue_tokens"]} if fp16 else {}
    f1_fp32, f1_int8 = macro_f1s(fp32, stance_true, subtext_true), macro_f1s(int8, stance_true, subtext_true)
    report = {
        "fp32_vs_torch_max_abs_logit_diff": difference,
        "int8_vs_fp32_agreement": agree,
        "int8_vs_fp32_sure_agreement": sure,
        "fp32_test_macro_f1": f1_fp32,
        "int8_test_macro_f1": f1_int8,
        "fp16_vs_fp32_agreement": fp16_agree,
    }
    if smoothed is not None:
        report["smoothed_fp32_vs_fp32_max_abs_logit_diff"] = max_difference(*smoothed)
    failures = []
    if difference > PARITY_TOLERANCE:
        failures.append(f"fp32 ONNX differs from PyTorch by {difference:.2e} (limit {PARITY_TOLERANCE:.0e})")
    if report.get("smoothed_fp32_vs_fp32_max_abs_logit_diff", 0.0) > SMOOTHED_TOLERANCE:
        failures.append(
            f"the smoothed fp32 graph differs from fp32 by {report['smoothed_fp32_vs_fp32_max_abs_logit_diff']:.2e} "
            f"(limit {SMOOTHED_TOLERANCE:.0e})"
        )
    for name, checked in (("int8", {**sure, "cue_tokens": agree["cue_tokens"]}), ("fp16", fp16_sure)):
        for head, value in checked.items():
            if value < MIN_INT8_AGREEMENT:
                where = "tokens" if head == "cue_tokens" else "sure sentences"
                failures.append(
                    f"{name} agrees with fp32 on {value:.1%} of {head} {where} (needs {MIN_INT8_AGREEMENT:.0%})"
                )
    for head in ("stance", "subtext"):
        drop = f1_fp32[head] - f1_int8[head]
        if drop > MAX_INT8_F1_DROP:
            failures.append(
                f"int8 loses {drop * 100:.2f} macro-F1 points on {head} (limit {MAX_INT8_F1_DROP * 100:.0f})"
            )
    if failures:
        raise GateError("export gate failed: " + "; ".join(failures))
    return report

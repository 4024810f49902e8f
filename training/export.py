"""ONNX export, int8 and fp16 variants, and the gates every exported model must pass."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from framing.errors import FramingError
from framing.labels import STANCES, SUBTEXTS
from framing.metrics import head_report
from framing.model import OUTPUTS
from framing.tokens import TextEncoder
from training.modeling import FramingModel

OPSET = 17
PARITY_TOLERANCE = 1e-4
MIN_INT8_AGREEMENT = 0.98  # also applied to the fp16 GPU model
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


def _ffn_output(name: str) -> bool:
    return name.endswith("/output/dense/MatMul") and "/attention/" not in name


def _ffn(name: str) -> bool:
    return _ffn_output(name) or name.endswith("/intermediate/dense/MatMul")


#: How much of the encoder stays fp32, from fastest to most faithful. The export takes the first level
#: whose int8 model agrees with fp32 on the dev split (see ``choose_quantisation``).
QUANTISATION_LEVELS: dict[str, object] = {"ffn-output-fp32": _ffn_output, "ffn-fp32": _ffn}
DEV_AGREEMENT_TARGET = 0.985


def quantize_int8(fp32: Path, out: Path, level: str = "ffn-output-fp32") -> None:
    """Dynamic int8 quantisation, per channel, of the encoder's matrix multiplications (the CPU model).

    Some feed-forward projections stay fp32 (``level``): their inputs carry the activation outliers that
    per-tensor dynamic activation quantisation handles worst.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    keep = QUANTISATION_LEVELS[level]
    graph = onnx.load(str(fp32)).graph
    quantize_dynamic(
        str(fp32),
        str(out),
        per_channel=True,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul"],
        nodes_to_exclude=[n.name for n in graph.node if n.op_type == "MatMul" and keep(n.name)],  # type: ignore[operator]
    )


def choose_quantisation(fp32: Path, out: Path, encoder: TextEncoder, dev_texts: Sequence[str], log=print) -> dict:
    """Quantise at the fastest level whose dev-split agreement with fp32 reaches the target."""
    reference = onnx_logits(fp32, encoder, dev_texts)
    tried = {}
    for level in QUANTISATION_LEVELS:
        quantize_int8(fp32, out, level)
        agree = agreement(reference, onnx_logits(out, encoder, dev_texts))
        tried[level] = agree
        log(f"int8 ({level}): dev agreement " + ", ".join(f"{k} {v:.1%}" for k, v in agree.items()))
        if min(agree["stance"], agree["subtext"]) >= DEV_AGREEMENT_TARGET:
            break
    return {"level": level, "dev_agreement": tried}


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
    torch_logits: dict, fp32: dict, int8: dict, stance_true, subtext_true, fp16: dict | None = None
) -> dict:
    """Parity (fp32 ONNX vs PyTorch), int8 and fp16 fidelity; raises :class:`GateError` on failure."""
    difference = max_difference(torch_logits, fp32)
    agree = agreement(fp32, int8)
    fp16_agree = agreement(fp32, fp16) if fp16 is not None else {}
    f1_fp32, f1_int8 = macro_f1s(fp32, stance_true, subtext_true), macro_f1s(int8, stance_true, subtext_true)
    report = {
        "fp32_vs_torch_max_abs_logit_diff": difference,
        "int8_vs_fp32_agreement": agree,
        "fp32_test_macro_f1": f1_fp32,
        "int8_test_macro_f1": f1_int8,
        "fp16_vs_fp32_agreement": fp16_agree,
    }
    failures = []
    if difference > PARITY_TOLERANCE:
        failures.append(f"fp32 ONNX differs from PyTorch by {difference:.2e} (limit {PARITY_TOLERANCE:.0e})")
    for head in ("stance", "subtext", "cue_tokens"):
        if agree[head] < MIN_INT8_AGREEMENT:
            failures.append(f"int8 agrees with fp32 on {agree[head]:.1%} of {head} (needs {MIN_INT8_AGREEMENT:.0%})")
    for head, value in fp16_agree.items():
        if value < MIN_INT8_AGREEMENT:
            failures.append(f"fp16 agrees with fp32 on {value:.1%} of {head} (needs {MIN_INT8_AGREEMENT:.0%})")
    for head in ("stance", "subtext"):
        drop = f1_fp32[head] - f1_int8[head]
        if drop > MAX_INT8_F1_DROP:
            failures.append(
                f"int8 loses {drop * 100:.2f} macro-F1 points on {head} (limit {MAX_INT8_F1_DROP * 100:.0f})"
            )
    if failures:
        raise GateError("export gate failed: " + "; ".join(failures))
    return report

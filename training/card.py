"""The model card (MODEL_CARD.md) written from a model's metrics."""

from __future__ import annotations

from framing.labels import STANCES, SUBTEXTS
from training.export import DEV_AGREEMENT_TARGET, DEV_ERRORS_ALPHA, DEV_MAX_F1_DROP, DEV_NOISE_F1_DROP, SURE_MARGIN


def _pct(x: float) -> str:
    return f"{x:.3f}"


def _per_class(report: dict, labels) -> list[str]:
    rows = ["| class | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for name in labels:
        c = report["per_class"][name]
        rows.append(f"| {name} | {_pct(c['precision'])} | {_pct(c['recall'])} | {_pct(c['f1'])} | {c['support']} |")
    return rows


def _confusion(report: dict) -> list[str]:
    labels = report["confusion"]["labels"]
    rows = ["| truth \\ predicted | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    for name, counts in zip(labels, report["confusion"]["matrix"]):
        rows.append(f"| {name} | " + " | ".join(map(str, counts)) + " |")
    return rows


def _cue_threshold(cal: dict) -> list[str]:
    if "cue_threshold" not in cal:
        return []
    chosen = cal["cue_threshold"]
    tried = ", ".join(f"{t} {f:.3f}" for t, f in chosen["dev_cue_f1"].items())
    return [
        "",
        f"Cue threshold (a token is in the cue when P(B or I) exceeds it): {chosen['chosen']}, the best dev cue F1 "
        f"of those tried ({tried}).",
    ]


def _rescored(rescored: dict | None) -> list[str]:
    """The note on a card whose results were measured again by ``python -m training.rescore``."""
    if not rescored:
        return []
    return [
        "",
        f"Results, baselines and the cue threshold were measured again without retraining by `python -m "
        f"training.rescore` (framing {rescored['framing_version']}), on the corpus and with the decoder of that "
        "version; the training history, calibration temperatures and export gates are as measured at training.",
    ]


def _cue_misses(test: dict, dev: dict) -> list[str]:
    """How the predicted cues that are not the annotated one went wrong, on test and dev."""
    if "errors" not in test.get("cue", {}) or "errors" not in dev.get("cue", {}):
        return []
    kinds = ", ".join(
        f"{kind.replace('_', ' ')} {test['cue']['errors'][kind]} / {dev['cue']['errors'][kind]}"
        for kind in test["cue"]["errors"]
    )
    return [
        "",
        f"Cue misses, in coded sentences (test {test['cue']['n']} / dev {dev['cue']['n']}): {kinds} (missed: no "
        "cue, the sentence read as literal; too long or too short: the annotated words and more, or some of them).",
    ]


def _cue_head_cost(ablation: dict) -> list[str]:
    """The paired with/without-cue-loss comparison that ``bench/cue_head_ablation.py`` records."""
    seeds = ablation["seeds"]
    several = len(seeds) > 1

    def cell(d: dict) -> str:
        if not several:
            return f"{d['mean']:+.2f}"
        return f"{d['mean']:+.2f} ± {d['sd']:.2f} (worse for {d['worse']} of {len(seeds)} seeds)"

    return [
        "",
        "## Cost of the cue head (measured by `bench/cue_head_ablation.py`)",
        f"The same recipe trained with and without the cue loss (weight {ablation['cue_weight']:g} vs 0) on the same "
        f"data, for seed{'s' if several else ''} {', '.join(map(str, seeds))}, both arms scored in "
        f"{ablation['scored_in']}. Macro-F1 with the cue loss minus without, in points"
        + (", mean ± sd over seeds:" if several else " (a single seed, so no spread):"),
        "",
        "| split | stance | subtext |",
        "|---|---|---|",
        *(
            f"| {split} | {cell(ablation[split]['stance'])} | {cell(ablation[split]['subtext'])} |"
            for split in ("dev", "test")
        ),
    ]


def model_card(m: dict) -> str:
    """Markdown model card: data, settings, test and dev metrics, baselines, export gates, use and limits."""
    test, dev, cfg, env = m["test"], m["dev"], m["training"]["config"], m["environment"]
    cal, gates, base = m["calibration"], m["export"], m["baselines"]
    rescored = m.get("rescored")
    lines = [
        f"# framing model `{m['model']['name']}`",
        "",
        "Labels each sentence of diplomatic and political news by **stance** (cooperative / neutral /",
        "confrontational, as meant) and **subtext** (literal, no_progress, disagreement, stalling, warning,",
        "protest), and marks the cue words that carry a coded meaning. Every figure below was measured by",
        "`framing train` on the int8 ONNX model as shipped, unless marked otherwise.",
        *_rescored(rescored),
        "",
        "## Model",
        f"- Encoder: {m['model']['base_model']}, mean pooling; heads: stance (3), subtext (6), cue BIO tags (3),",
        f"  trained jointly (summed class-weighted cross-entropy; cue loss weighted {cfg['cue_weight']}).",
        f"- Files: `{m['model']['files']['cpu']}` (CPU default: int8 matrix products, 7-bit per-channel weights and "
        "per-batch activations, quantised from a smoothed copy of the fp32 graph), "
        f"`{m['model']['files']['gpu']}` (fp16: GPU), `tokenizer.json`, `config.json` (labels, max length "
        f"{m['model']['max_length']}, temperatures), `metrics.json`.",
        "",
        "## Data",
        f"- Sentences: train {m['data']['train']}, dev {m['data']['dev']}, test {m['data']['test']}"
        + (
            f" (trained on train {rescored['trained_on']['train']}, dev {rescored['trained_on']['dev']}, test "
            f"{rescored['trained_on']['test']})."
            if rescored and rescored["trained_on"] != m["data"]
            else "."
        ),
        "- The test split holds out whole cue phrases: no cue phrase in test occurs in train or dev, so test",
        "  measures generalisation to coded wording the model never saw. See `seeds/data/README.md`.",
        "",
        "## Training",
        f"- epochs {cfg['epochs']}, learning rate {cfg['lr']}, batch size {cfg['batch_size']}, max length "
        f"{cfg['max_length']}, warmup {cfg['warmup']}, weight decay {cfg['weight_decay']}, dropout "
        f"{cfg['dropout']}, seed {cfg['seed']}"
        + ("; word embedding table frozen" if cfg.get("freeze_embeddings") else "")
        + "; best epoch kept by dev macro-F1 (mean of the two heads).",
        "- History: "
        + "; ".join(
            f"epoch {h['epoch']} loss {h['loss']:.3f} dev {h['dev_score']:.3f}" for h in m["training"]["history"]
        ),
        (
            "- Fine-tuned weights reused from a checkpoint of the same data and settings; calibration, export and "
            f"evaluation took {env['train_seconds']} s"
            if env.get("reused_checkpoint")
            else f"- Trained in {env['train_seconds']} s"
        )
        + f" on {env['machine']} (torch {env['torch']}, Python {env['python']}).",
        "",
        "## Results",
        "| metric | test | dev |",
        "|---|---|---|",
        f"| stance macro-F1 | {_pct(test['stance']['macro_f1'])} | {_pct(dev['stance']['macro_f1'])} |",
        f"| subtext macro-F1 | {_pct(test['subtext']['macro_f1'])} | {_pct(dev['subtext']['macro_f1'])} |",
        f"| euphemism (coded vs literal) F1 | {_pct(test['euphemism_f1'])} | {_pct(dev['euphemism_f1'])} |",
        f"| stance ECE (calibrated) | {_pct(test['stance']['ece'])} | {_pct(dev['stance']['ece'])} |",
        f"| subtext ECE (calibrated) | {_pct(test['subtext']['ece'])} | {_pct(dev['subtext']['ece'])} |",
    ]
    if "cue" in test:
        lines += [
            f"| cue exact match | {_pct(test['cue']['exact_match'])} | {_pct(dev['cue']['exact_match'])} |",
            f"| cue word-level F1 | {_pct(test['cue']['f1'])} | {_pct(dev['cue']['f1'])} |",
        ]
    if "cue_any" in test and "cue_any" in dev:
        lines += [
            f"| cue exact match, any annotated phrase | {_pct(test['cue_any']['exact_match'])} "
            f"| {_pct(dev['cue_any']['exact_match'])} |",
            f"| cue word-level F1, any annotated phrase | {_pct(test['cue_any']['f1'])} "
            f"| {_pct(dev['cue_any']['f1'])} |",
        ]
    lines += [
        "",
        "Calibration (temperature scaling fitted on dev, PyTorch logits"
        + (", at training, on the splits of that time" if rescored else "")
        + "): temperatures "
        + ", ".join(f"{h} {t:.3f}" for h, t in cal["temperature"].items())
        + "; test ECE before "
        + ", ".join(f"{h} {v:.3f}" for h, v in cal["test_ece_before"].items())
        + ", after "
        + ", ".join(f"{h} {v:.3f}" for h, v in cal["test_ece_after"].items())
        + ".",
        *_cue_threshold(cal),
        *_cue_misses(test, dev),
        "",
        "### Test, stance",
        *_per_class(test["stance"], STANCES),
        "",
        *_confusion(test["stance"]),
        "",
        "### Test, subtext",
        *_per_class(test["subtext"], SUBTEXTS),
        "",
        *_confusion(test["subtext"]),
        "",
        "## Baselines (same splits)",
        "| model | test stance F1 | test subtext F1 | test euphemism F1 | dev stance F1 | dev subtext F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, b in base.items():
        lines.append(
            f"| {name} | {_pct(b['test']['stance_macro_f1'])} | {_pct(b['test']['subtext_macro_f1'])} | "
            f"{_pct(b['test']['euphemism_f1'])} | {_pct(b['dev']['stance_macro_f1'])} | "
            f"{_pct(b['dev']['subtext_macro_f1'])} |"
        )
    lines.append(
        f"| this model (int8) | {_pct(test['stance']['macro_f1'])} | {_pct(test['subtext']['macro_f1'])} | "
        f"{_pct(test['euphemism_f1'])} | {_pct(dev['stance']['macro_f1'])} | {_pct(dev['subtext']['macro_f1'])} |"
    )
    agree, sure = gates["int8_vs_fp32_agreement"], gates.get("int8_vs_fp32_sure_agreement", {})
    quantisation = gates["quantisation"]
    level = quantisation["level"]
    dev_level = quantisation.get("dev", {}).get(level, {})
    dev_sure, dev_drop = dev_level.get("sure_agreement", {}), dev_level.get("f1_drop", {})
    lines += [
        "",
        "## Export gates (test split" + (", at training, on the splits of that time)" if rescored else ")"),
        f"- int8 level: `{level}`; on dev it agrees with fp32 on "
        + ", ".join(f"{k} {v:.1%}" for k, v in dev_sure.items())
        + f" of the sentences fp32 is sure of (top two {SURE_MARGIN} apart) and loses "
        + ", ".join(f"{k} {v * 100:+.2f}" for k, v in dev_drop.items())
        + " macro-F1 points"
        + (
            " (one-sided McNemar p that it makes more errors than fp32: "
            + ", ".join(f"{k} {v:.2f}" for k, v in dev_level["p_more_errors"].items())
            + ")"
            if "p_more_errors" in dev_level
            else ""
        )
        + "; "
        + (
            f"the fastest level within {DEV_MAX_F1_DROP * 100:.1f} points (or {DEV_NOISE_F1_DROP * 100:.0f} point "
            f"without significantly more errors, p >= {DEV_ERRORS_ALPHA}) and {DEV_AGREEMENT_TARGET:.1%} on dev."
            if quantisation.get("accepted")
            else "no level met the dev targets, so the one keeping the most fp32 is used."
        ),
        f"- fp32 ONNX vs PyTorch: max |logit difference| {gates['fp32_vs_torch_max_abs_logit_diff']:.2e} (limit 1e-4).",
        "- int8 vs fp32 agreement: "
        + ", ".join(f"{k} {v:.2%}" for k, v in sure.items())
        + f" of sure sentences, cue tags {agree['cue_tokens']:.2%} of tokens (limit 98%); of all sentences "
        + ", ".join(f"{k} {agree[k]:.2%}" for k in ("stance", "subtext"))
        + ".",
        "- fp16 (GPU model, checked on CPU) vs fp32 agreement: "
        + ", ".join(f"{k} {v:.2%}" for k, v in gates.get("fp16_vs_fp32_agreement", {}).items())
        + " (limit 98%).",
        "- macro-F1 fp32 -> int8: "
        + ", ".join(
            f"{h} {gates['fp32_test_macro_f1'][h]:.3f} -> {gates['int8_test_macro_f1'][h]:.3f}"
            for h in ("stance", "subtext")
        )
        + " (limit: 1 point lost).",
    ]
    if "cue_head_ablation" in m:
        lines += _cue_head_cost(m["cue_head_ablation"])
    else:
        lines += [
            "",
            "## Cost of the cue head",
            "Not measured for this model: `python bench/cue_head_ablation.py --model MODEL_DIR` trains the recipe "
            "with and without the cue loss on its corpus and records the comparison here.",
        ]
    if "external_stance" in m:
        ext = m["external_stance"]
        lines += [
            "",
            "## Agreement with professional event coders",
            f"On {ext['n']} sentences coded cooperative or confrontational by CAMEO/PLOVER event coders "
            f"(`{ext['source']}`, evaluation only, never trained or tuned on): stance agreement "
            f"{ext['agreement']:.3f}; the model called {ext['predicted_neutral']:.1%} of them neutral; "
            f"agreement where it did not say neutral {ext['agreement_when_not_neutral']:.3f}.",
        ]
    lines += [
        "",
        "## Intended use and limits",
        "- For reading English-language news, readouts and statements about international relations: a first",
        "  pass that flags coded language for an analyst, not a verdict on any government.",
        "- Trained on sentences written for this project in the style of real readouts, briefings and wire copy;",
        "  real text is messier, and agreement with external coders above is the best estimate of that gap.",
        "- Coded phrases depend on who speaks: the same words are routine from one ministry and a rebuke from",
        "  another. The model sees one sentence at a time, with no speaker history.",
        "- Sentences longer than the maximum length are truncated (flagged `truncated`).",
        "",
    ]
    return "\n".join(lines)

"""The fine-tuning loop: dynamic padding, class-weighted multi-task loss, best checkpoint by dev macro-F1."""

from __future__ import annotations

import copy
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from framing.labelled import Example
from framing.labels import CUE_TAGS, STANCES, SUBTEXTS
from framing.metrics import head_report
from framing.tokens import TextEncoder
from training.config import TrainConfig
from training.modeling import FramingModel

IGNORE = -100


@dataclass
class Encoded:
    """A tokenized example with its targets."""

    ids: list[int]
    stance: int
    subtext: int
    cue_tags: list[int]


def cue_tags(
    offsets: Sequence[tuple[int, int]], span: tuple[int, int] | None, ignored: Sequence[tuple[int, int]] = ()
) -> list[int]:
    """BIO tag ids for each token. Special tokens (offset (0, 0)) and tokens of the ``ignored`` spans (other
    phrases carrying the same code, neither the cue nor plain words) are left out of the loss."""
    tags: list[int] = []
    inside = False
    for start, end in offsets:
        if (start, end) == (0, 0):
            tags.append(IGNORE)
        elif span is not None and start < span[1] and end > span[0]:
            tags.append(CUE_TAGS.index("I-CUE") if inside else CUE_TAGS.index("B-CUE"))
            inside = True
        elif any(start < b and end > a for a, b in ignored):
            tags.append(IGNORE)
        else:
            tags.append(CUE_TAGS.index("O"))
    return tags


def encode(encoder: TextEncoder, examples: Sequence[Example]) -> list[Encoded]:
    """Tokenize examples and attach stance, subtext and cue-tag targets."""
    encodings = encoder.encode([e.text for e in examples])
    return [
        Encoded(
            ids=list(enc.ids),
            stance=STANCES.index(e.stance),
            subtext=SUBTEXTS.index(e.subtext),
            cue_tags=cue_tags(enc.offsets, e.cue_span(), e.other_spans()),
        )
        for e, enc in zip(examples, encodings)
    ]


def collate(items: Sequence[Encoded], pad_id: int) -> dict[str, torch.Tensor]:
    """Pad a batch to its longest member."""
    length = max(len(x.ids) for x in items)
    ids = torch.full((len(items), length), pad_id, dtype=torch.long)
    mask = torch.zeros((len(items), length), dtype=torch.long)
    tags = torch.full((len(items), length), IGNORE, dtype=torch.long)
    for r, x in enumerate(items):
        n = len(x.ids)
        ids[r, :n] = torch.tensor(x.ids)
        mask[r, :n] = 1
        tags[r, :n] = torch.tensor(x.cue_tags)
    return {
        "input_ids": ids,
        "attention_mask": mask,
        "stance": torch.tensor([x.stance for x in items]),
        "subtext": torch.tensor([x.subtext for x in items]),
        "cue": tags,
    }


def length_grouped_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: shuffle, sort within windows of 50 batches, shuffle batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * 50
    batches = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def class_weights(targets: Sequence[int], n_classes: int) -> torch.Tensor:
    """Inverse-frequency weights normalised to mean 1 (absent classes get weight 1)."""
    counts = np.bincount(np.asarray(targets), minlength=n_classes).astype(np.float64)
    weights = np.where(counts > 0, counts.sum() / (n_classes * np.maximum(counts, 1)), 1.0)
    return torch.tensor(weights / weights.mean(), dtype=torch.float32)


@torch.no_grad()
def predict(model: FramingModel, items: Sequence[Encoded], pad_id: int, batch_size: int = 64) -> dict:
    """Logits for every item in input order: stance (n, 3), subtext (n, 6) and per-item cue logits."""
    model.eval()
    order = sorted(range(len(items)), key=lambda i: len(items[i].ids))
    stance = np.zeros((len(items), len(STANCES)), dtype=np.float32)
    subtext = np.zeros((len(items), len(SUBTEXTS)), dtype=np.float32)
    cue: list[np.ndarray | None] = [None] * len(items)
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        batch = collate([items[i] for i in rows], pad_id)
        s, t, c = model(batch["input_ids"], batch["attention_mask"])
        stance[rows] = s.numpy()
        subtext[rows] = t.numpy()
        for r, i in enumerate(rows):
            cue[i] = c[r, : len(items[i].ids)].numpy()
    return {"stance": stance, "subtext": subtext, "cue": cue}


def dev_score(logits: dict, items: Sequence[Encoded]) -> float:
    """Model selection score: the mean of stance and subtext macro-F1."""
    stance = head_report([STANCES[x.stance] for x in items], [STANCES[i] for i in logits["stance"].argmax(1)], STANCES)
    subtext = head_report(
        [SUBTEXTS[x.subtext] for x in items], [SUBTEXTS[i] for i in logits["subtext"].argmax(1)], SUBTEXTS
    )
    return (stance["macro_f1"] + subtext["macro_f1"]) / 2


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def fit(
    model: FramingModel,
    train: Sequence[Encoded],
    dev: Sequence[Encoded],
    config: TrainConfig,
    pad_id: int,
    log: Callable[[str], None] = print,
) -> list[dict]:
    """Train in place (the word embedding table frozen if ``config.freeze_embeddings``); at the end the model holds
    the epoch with the best dev score. Returns the history."""
    seed_everything(config.seed)
    rng = random.Random(config.seed)
    if config.freeze_embeddings:
        model.encoder.get_input_embeddings().weight.requires_grad_(False)
    loss_stance = nn.CrossEntropyLoss(weight=class_weights([x.stance for x in train], len(STANCES)))
    loss_subtext = nn.CrossEntropyLoss(weight=class_weights([x.subtext for x in train], len(SUBTEXTS)))
    loss_cue = nn.CrossEntropyLoss(ignore_index=IGNORE)
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
            "weight_decay": config.weight_decay,
        },
        {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=config.lr)
    steps_per_epoch = math.ceil(len(train) / config.batch_size)
    total = steps_per_epoch * config.epochs
    if config.max_steps:
        total = min(total, config.max_steps)
    warmup = max(1, int(total * config.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup)))
    )
    lengths = [len(x.ids) for x in train]
    best_score, best_state, history, step = -1.0, None, [], 0
    for epoch in range(1, config.epochs + 1):
        model.train()
        started, running, seen = time.perf_counter(), 0.0, 0
        batches = length_grouped_batches(lengths, config.batch_size, rng)
        bar = tqdm(batches, desc=f"epoch {epoch}/{config.epochs}", unit="batch", leave=False, disable=None)
        for rows in bar:
            batch = collate([train[i] for i in rows], pad_id)
            stance, subtext, cue = model(batch["input_ids"], batch["attention_mask"])
            loss = (
                loss_stance(stance, batch["stance"])
                + loss_subtext(subtext, batch["subtext"])
                + config.cue_weight * loss_cue(cue.reshape(-1, cue.shape[-1]), batch["cue"].reshape(-1))
            )
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            running += loss.item() * len(rows)
            seen += len(rows)
            step += 1
            bar.set_postfix(loss=f"{running / seen:.3f}")
            if config.max_steps and step >= config.max_steps:
                break
        elapsed = time.perf_counter() - started
        score = dev_score(predict(model, dev, pad_id), dev)
        history.append({"epoch": epoch, "loss": running / max(seen, 1), "dev_score": score, "seconds": elapsed})
        improved = score > best_score
        if improved:
            best_score, best_state = score, copy.deepcopy(model.state_dict())
        log(
            f"epoch {epoch}: loss {running / max(seen, 1):.4f}, dev macro-F1 (mean of heads) {score:.4f}"
            f"{' (best)' if improved else ''}, {seen / elapsed:.0f} sentences/s"
        )
        if config.max_steps and step >= config.max_steps:
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    return history

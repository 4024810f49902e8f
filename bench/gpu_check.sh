#!/usr/bin/env bash
# GPU check, for a machine with an NVIDIA GPU: installs the runtime with onnxruntime-gpu (instead of
# onnxruntime), scores the sample articles with --device cuda and --device cpu, compares the labels and
# measures throughput on corpus sentences. Prints what it measured; writes $OUT/gpu_check.md if OUT is set.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv /tmp/framing-gpu
/tmp/framing-gpu/bin/pip install -q --upgrade pip
/tmp/framing-gpu/bin/pip install -q -e .
/tmp/framing-gpu/bin/pip uninstall -q -y onnxruntime
/tmp/framing-gpu/bin/pip install -q onnxruntime-gpu
/tmp/framing-gpu/bin/python - <<'PY' | tee "${OUT:-/tmp}/gpu_check.md"
import json, time
from pathlib import Path
import onnxruntime
from framing import Classifier

print("providers:", onnxruntime.get_available_providers())
gpu = Classifier.load(device="cuda")
cpu = Classifier.load(device="cpu")
print("gpu session providers:", gpu.providers)
articles = sorted(Path("seeds/articles").glob("*.txt"))
total = disagree = near_ties = 0
for path in articles:
    text = path.read_text(encoding="utf-8")
    g, c = gpu.score(text), cpu.score(text)
    for a, b in zip(g.sentences, c.sentences):
        total += 1
        if (a.stance, a.subtext) != (b.stance, b.subtext):
            disagree += 1
            top = sorted(b.subtext_probs.values())[-2:]
            near_ties += (top[1] - top[0]) < 0.1
            print(f"differs: {a.text[:70]!r} gpu {a.stance}/{a.subtext} cpu {b.stance}/{b.subtext}")
print(f"sample articles: {total} sentences, {disagree} label differences, {near_ties} of them near ties (<0.1)")
texts = [json.loads(l)["text"] for f in sorted(Path("seeds/data").glob("*.jsonl")) for l in f.open()][:4000]
for name, clf in (("cuda fp16", Classifier.load(device="cuda", batch_size=128)), ("cpu int8", cpu)):
    clf.classify(texts[:256])
    start = time.perf_counter(); clf.classify(texts); elapsed = time.perf_counter() - start
    print(f"{name}: {len(texts) / elapsed:.0f} sentences/s ({len(texts)} sentences)")
PY

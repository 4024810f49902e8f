"""framing benchmark: speed, cold start, memory and accuracy of the shipped runtime against PyTorch.

Run with `make bench`. Prints a table and writes bench/results.md. No numbers are asserted anywhere:
this script only measures and reports.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "default"
ARTICLE = ROOT / "seeds" / "articles" / "witkoff-putin-india-tariffs.txt"
RESULTS = Path(__file__).resolve().parent / "results.md"


def median_rate(fn, n_items: int, repeats: int) -> tuple[float, list[float]]:
    """Median items/s over ``repeats`` timed runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return n_items / statistics.median(times), times


def corpus_sentences(limit: int | None = None, split: str | None = None) -> list[dict]:
    rows = [json.loads(line) for f in sorted((ROOT / "seeds" / "data").glob("*.jsonl")) for line in f.open()]
    if split:
        rows = [r for r in rows if r["split"] == split]
    return rows[:limit] if limit else rows


def cpu_description() -> str:
    """The processor's model name and whether it has VNNI (int8 dot products), from /proc/cpuinfo."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or "unknown CPU"
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "")
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), [])
    vnni = "with VNNI" if {"avx512_vnni", "avx_vnni"} & set(flags) else "without VNNI"
    return f"{name or 'unknown CPU'}, {vnni}"


def run_process(argv: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a whole child process.

    Peak RSS is the child's own VmHWM, polled from /proc: the rusage of a child forked from this (large)
    process would include the parent's memory at fork time.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak_kb = 0
    status_file = Path(f"/proc/{proc.pid}/status")
    while proc.poll() is None:
        try:
            for line in status_file.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.005)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:3]} failed: {proc.stderr.read().decode()[-500:]}")
    return wall, peak_kb / 1024


TRANSFORMERS_SCRIPT = """
import sys, torch
from framing.sentences import split_sentences
from training.restore import load_torch_model
from transformers import AutoTokenizer
from training.modeling import base_model_path
torch.set_num_threads({threads})
model = load_torch_model(sys.argv[1])
tok = AutoTokenizer.from_pretrained(str(base_model_path()))
text = open(sys.argv[2], encoding="utf-8").read()
sents = [s.text for s in split_sentences(text)]
with torch.no_grad():
    enc = tok(sents, padding=True, truncation=True, max_length=128, return_tensors="pt")
    stance, subtext, cue = model(enc["input_ids"], enc["attention_mask"])
print(stance.argmax(1).tolist(), subtext.argmax(1).tolist())
"""


def ray_scaling(say, framing_bin: str, env: dict, n_docs: int) -> None:
    """framing batch on a local Ray (1 actor, and 2 where the machine has CPUs to spare for them) against the
    single-process CLI, same corpus."""
    try:
        import ray  # noqa: F401
    except ImportError:
        say("\nRay: not installed (pip install -e '.[ray]'), skipped.")
        return
    articles = [a.read_text(encoding="utf-8") for a in sorted((ROOT / "seeds" / "articles").glob("*.txt"))]
    say(f"\nRay Data, {n_docs} articles (the sample articles repeated), whole command wall time:\n")
    say("| run | wall s | sentences/s |")
    say("|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "articles.jsonl"
        corpus.write_text(
            "".join(json.dumps({"id": f"a{i}", "text": articles[i % len(articles)]}) + "\n" for i in range(n_docs)),
            encoding="utf-8",
        )
        single_out = Path(tmp) / "single.jsonl"
        wall, _ = run_process([framing_bin, "score", "--jsonl", "text", str(corpus), "--format", "jsonl", "-o",
                               str(single_out)], env)  # fmt: skip
        n = sum(1 for _ in single_out.open(encoding="utf-8"))
        say(f"| framing score --jsonl (one process) | {wall:.1f} | {n / wall:.0f} |")
        for actors in (1, 2):
            if actors >= (os.cpu_count() or 1):  # framing batch refuses to hold every CPU with actors
                say(f"| framing batch, {actors} actors | skipped: needs more than {os.cpu_count()} CPUs | |")
                continue
            out = Path(tmp) / f"ray-{actors}"
            wall, _ = run_process(
                [framing_bin, "batch", str(corpus), "--output", str(out), "--actors", str(actors)], env
            )
            say(f"| framing batch, local Ray, {actors} actor(s) x 1 thread | {wall:.1f} | {n / wall:.0f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=2000, help="corpus sentences for throughput")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="threads for the throughput comparison")
    parser.add_argument("--scaling-sentences", type=int, default=500, help="sentences per batch/thread cell")
    parser.add_argument("--corpus-docs", type=int, default=100_000, help="one-sentence docs in the --jsonl run")
    parser.add_argument("--ray-docs", type=int, default=600, help="articles for the Ray comparison")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--processes-only", action="store_true", help="only cold start, input sizes and Ray")
    args = parser.parse_args()
    if args.quick:
        args.sentences, args.repeats, args.scaling_sentences, args.corpus_docs, args.ray_docs = 200, 2, 100, 2000, 60

    import numpy as np
    import onnxruntime
    import torch

    from framing import Classifier
    from framing.labels import STANCES, SUBTEXTS
    from framing.metrics import head_report
    from framing.tokens import TextEncoder
    from training.export import export_fp32
    from training.restore import load_torch_model

    torch.set_num_threads(args.threads)
    rows = corpus_sentences(args.sentences)
    texts = [r["text"] for r in rows]
    test_rows = corpus_sentences(split="test")
    test_texts = [r["text"] for r in test_rows]
    lines: list[str] = []

    results = RESULTS.with_name("results-processes.md") if args.processes_only else RESULTS

    def say(line: str = "") -> None:  # the results file is rewritten as it grows: a failure keeps what ran
        print(line, flush=True)
        lines.append(line)
        results.write_text("\n".join(lines) + "\n", encoding="utf-8")

    shipped = Classifier.load(MODEL, device="cpu", threads=args.threads, batch_size=32)
    if args.processes_only:
        say(f"# framing benchmark (whole-process measurements)\n\n{time.strftime('%Y-%m-%d %H:%M')}, "
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.")  # fmt: skip
    else:
        model = load_torch_model(MODEL)
        encoder = TextEncoder(MODEL / "tokenizer.json", 128)

        def input_order_batches(batch_texts: list[str], batch_size: int):
            """Batches as a transformers pipeline makes them: input order, padded to each batch's longest."""
            encodings = encoder.encode(batch_texts)
            for start in range(0, len(batch_texts), batch_size):
                yield encoder.pad(encodings, list(range(start, min(start + batch_size, len(batch_texts)))))

        def torch_logits(batch_texts: list[str], batch_size: int, sort: bool = True) -> tuple[np.ndarray, np.ndarray]:
            stance, subtext = np.zeros((len(batch_texts), 3)), np.zeros((len(batch_texts), 6))
            batches = encoder.batches(batch_texts, batch_size) if sort else input_order_batches(batch_texts, batch_size)
            with torch.no_grad():
                for batch in batches:
                    s, t, _ = model(torch.from_numpy(batch.input_ids), torch.from_numpy(batch.attention_mask))
                    stance[batch.rows], subtext[batch.rows] = s.numpy(), t.numpy()
            return stance, subtext

        with tempfile.TemporaryDirectory() as tmp:
            fp32_path = Path(tmp) / "fp32.onnx"
            export_fp32(model, fp32_path)
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = args.threads
            fp32 = onnxruntime.InferenceSession(str(fp32_path), options, providers=["CPUExecutionProvider"])

            def onnx_logits(batch_texts: list[str], batch_size: int = 32) -> tuple[np.ndarray, np.ndarray]:
                stance, subtext = np.zeros((len(batch_texts), 3)), np.zeros((len(batch_texts), 6))
                for batch in encoder.batches(batch_texts, batch_size):
                    s, t = fp32.run(["stance_logits", "subtext_logits"],
                                    {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask})  # fmt: skip
                    stance[batch.rows], subtext[batch.rows] = s, t
                return stance, subtext

            shipped = Classifier.load(MODEL, device="cpu", threads=args.threads, batch_size=32)
            say(f"# framing benchmark\n\n{time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, {cpu_description()}, "
                f"{os.cpu_count()} cores, Python {platform.python_version()}, torch {torch.__version__}, onnxruntime "
                f"{onnxruntime.__version__}, framing {metadata.version('framing')}.\n"
                f"Command: `python bench/run.py {' '.join(sys.argv[1:])}`.")  # fmt: skip
            say(
                f"Throughput: {len(texts)} corpus sentences, median of {args.repeats} runs, {args.threads} thread(s).\n"
            )
            say('(a) is PyTorch as a `pipeline("text-classification")` user gets it: batches in input order, each')
            say("padded to its longest sentence. framing sorts sentences by length before batching; the sorted PyTorch")
            say("row gives PyTorch that advantage too.\n")
            say("| variant | batch | sentences/s | x (a) at the same batch | x sorted PyTorch at the same batch |")
            say("|---|---|---|---|---|")
            rates = {}
            rates["torch b1"], _ = median_rate(lambda: torch_logits(texts, 1), len(texts), args.repeats)
            rates["torch b32"], _ = median_rate(lambda: torch_logits(texts, 32, sort=False), len(texts), args.repeats)
            rates["torch-sorted b32"], _ = median_rate(lambda: torch_logits(texts, 32), len(texts), args.repeats)
            rates["onnx fp32 b1"], _ = median_rate(lambda: onnx_logits(texts, 1), len(texts), args.repeats)
            rates["onnx fp32 b32"], _ = median_rate(lambda: onnx_logits(texts, 32), len(texts), args.repeats)
            single = Classifier.load(MODEL, device="cpu", threads=args.threads, batch_size=1)
            rates["framing int8 b1"], _ = median_rate(lambda: single.classify(texts), len(texts), args.repeats)
            rates["framing int8 b32"], _ = median_rate(lambda: shipped.classify(texts), len(texts), args.repeats)
            names = {
                "torch": "(a) PyTorch fp32 eager, input order",
                "torch-sorted": "PyTorch fp32 eager, sorted by length",
                "onnx fp32": "(b) ONNX fp32 (onnxruntime)",
                "framing int8": "(c) framing int8 (`Classifier`)",
            }
            for key, rate in rates.items():
                variant, batch = key.rsplit(" ", 1)
                sorted_torch = rates["torch b1"] if batch == "b1" else rates["torch-sorted b32"]  # b1: no padding
                say(f"| {names[variant]} | {batch[1:]} | {rate:.0f} | {rate / rates['torch ' + batch]:.2f} | "
                    f"{rate / sorted_torch:.2f} |")  # fmt: skip
            say("\nAccuracy on the test split (held-out cue phrases), macro-F1:\n")
            say("| variant | stance | subtext |")
            say("|---|---|---|")
            stance_true, subtext_true = [r["stance"] for r in test_rows], [r["subtext"] for r in test_rows]

            def f1s(stance: np.ndarray, subtext: np.ndarray) -> tuple[float, float]:
                return (
                    head_report(stance_true, [STANCES[i] for i in stance.argmax(1)], STANCES)["macro_f1"],
                    head_report(subtext_true, [SUBTEXTS[i] for i in subtext.argmax(1)], SUBTEXTS)["macro_f1"],
                )

            labels = shipped.classify(test_texts)
            accuracy = {
                "PyTorch fp32": f1s(*torch_logits(test_texts, 32)),
                "ONNX fp32": f1s(*onnx_logits(test_texts)),
                "framing int8": (
                    head_report(stance_true, [x.stance for x in labels], STANCES)["macro_f1"],
                    head_report(subtext_true, [x.subtext for x in labels], SUBTEXTS)["macro_f1"],
                ),
            }
            for name, (a, b) in accuracy.items():
                say(f"| {name} | {a:.4f} | {b:.4f} |")

            say(f"\nScaling of framing int8 with batch size and threads ({args.scaling_sentences} sentences, "
                "median of 3, sentences/s):\n")  # fmt: skip
            say("| batch | 1 thread | 2 threads |")
            say("|---|---|---|")
            subset = texts[: args.scaling_sentences]
            for batch in (1, 8, 32, 128):
                cells = []
                for threads in (1, 2):
                    clf = Classifier.load(MODEL, device="cpu", threads=threads, batch_size=batch)
                    rate, _ = median_rate(lambda clf=clf: clf.classify(subset), len(subset), 3)
                    cells.append(f"{rate:.0f}")
                say(f"| {batch} | " + " | ".join(cells) + " |")

    framing_bin = str(Path(sys.executable).parent / "framing")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    say("\nCold start, whole process on the seed article (median of runs; peak RSS of the child):\n")
    say("| process | wall s | peak RSS MB |")
    say("|---|---|---|")
    cli = [run_process([framing_bin, "score", str(ARTICLE), "--format", "json"], env) for _ in range(args.repeats)]
    script = TRANSFORMERS_SCRIPT.format(threads=args.threads)
    hf = [run_process([sys.executable, "-c", script, str(MODEL), str(ARTICLE)], env) for _ in range(args.repeats)]
    cli_wall, hf_wall = statistics.median(w for w, _ in cli), statistics.median(w for w, _ in hf)
    say(f"| framing score --format json | {cli_wall:.3f} | {max(r for _, r in cli):.0f} |")
    say(f"| transformers + torch, same model | {hf_wall:.3f} | {max(r for _, r in hf):.0f} |")
    say(f"\nCold start ratio: {hf_wall / cli_wall:.1f}x faster.")

    say("\nInput size (framing score, whole process, default settings):\n")
    say("| input | sentences | wall s | sentences/s | peak RSS MB |")
    say("|---|---|---|---|---|")
    articles = sorted((ROOT / "seeds" / "articles").glob("*.txt"))
    corpus_text = "\n".join(a.read_text(encoding="utf-8") for a in articles)
    sizes = (1_000, 10_000, 100_000) if args.quick else (1_000, 10_000, 100_000, 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"article-{size}.txt"
            text = (corpus_text * (size // len(corpus_text) + 1))[:size]
            path.write_text(text, encoding="utf-8")
            n = len(shipped.score(text).sentences) if size <= 100_000 else None
            wall, rss = run_process(
                [framing_bin, "score", str(path), "--format", "jsonl", "-o", str(path) + ".out"], env
            )
            n = n or sum(1 for _ in open(str(path) + ".out", encoding="utf-8"))
            say(f"| {size:,} characters | {n} | {wall:.2f} | {n / wall:.0f} | {rss:.0f} |")
        n_corpus = args.corpus_docs
        corpus_path = Path(tmp) / "corpus.jsonl"
        with corpus_path.open("w", encoding="utf-8") as handle:
            for i in range(n_corpus):
                handle.write(json.dumps({"id": f"d{i}", "text": texts[i % len(texts)]}) + "\n")
        for count in sorted({n_corpus // 10, n_corpus}):
            part = Path(tmp) / f"corpus-{count}.jsonl"
            with corpus_path.open(encoding="utf-8") as src, part.open("w", encoding="utf-8") as dst:
                for i, line in enumerate(src):
                    if i >= count:
                        break
                    dst.write(line)
            wall, rss = run_process(
                [framing_bin, "score", "--jsonl", "text", str(part), "--format", "jsonl", "-o", str(part) + ".out"], env
            )
            label = f"--jsonl corpus, {count:,} one-sentence docs"
            say(f"| {label} | {count} | {wall:.2f} | {count / wall:.0f} | {rss:.0f} |")
    ray_scaling(say, framing_bin, env, args.ray_docs)
    print(f"\nwritten to {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared pieces of the side-by-side network benchmarks (predict_bench.py, infnet_bench.py):
segeval vs PyTorch eager (and channels_last) vs ONNX Runtime, same weights, same input.

Each engine is warmed up, then timed in `rounds` interleaved blocks of runs/rounds passes, so a
change in machine load hits all engines alike. segeval times itself: `segeval predict ...
--benchmark N --quiet` prints its per-run times on a line `runs_ms: ...`.
"""
import contextlib
import statistics
import subprocess
import time
import warnings

import torch


class OutputOnly(torch.nn.Module):
    """The network with only the timed output: out[index], or the whole output if index is None."""

    def __init__(self, m, index):
        super().__init__()
        self.m, self.index = m, index

    def forward(self, t):
        out = self.m(t)
        return out if self.index is None else out[self.index]


def export_onnx(model, x, path, output_name, quiet=False):
    """ONNX (opset 17, input "x") with the legacy TorchScript exporter (dynamo=False where the
    installed torch knows the argument). quiet: hide the exporter's deprecation and tracer warnings."""
    export = dict(opset_version=17, input_names=["x"], output_names=[output_name])
    with warnings.catch_warnings() if quiet else contextlib.nullcontext():
        if quiet:
            warnings.simplefilter("ignore")
        try:
            torch.onnx.export(model, (x,), path, dynamo=False, **export)
        except TypeError:
            torch.onnx.export(model, (x,), path, **export)


def ort_session(path, threads):
    """An ONNX Runtime CPU session: `threads` intra-op threads, one inter-op, all graph optimisations."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def time_segeval(command):
    """Runs a `segeval predict ... --benchmark N --quiet` command; its per-run times in ms."""
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = [l for l in out.splitlines() if l.startswith("runs_ms:")][0]
    return [float(v) for v in line.split(":")[1].split()]


def time_callable(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def engines(model, x, model_cl, x_cl, session, feed, segeval=True):
    """The engines in table order; "segeval" (timed by the caller's segeval_timer) maps to None."""
    def eager():
        with torch.no_grad():
            model(x)

    def channels_last():
        with torch.no_grad():
            model_cl(x_cl)

    table = {
        "segeval": None,
        "pytorch eager": eager,
        "pytorch channels_last": channels_last,
        "onnxruntime": lambda: session.run(None, feed),
    }
    if not segeval:
        del table["segeval"]
    return table


def interleaved(engines, runs, rounds, segeval_timer):
    """Warms up every callable engine, then times all engines in `rounds` interleaved blocks of
    runs // rounds passes (at least 1); segeval_timer(n) times n segeval passes. Returns the times
    (ms) per engine and the number of passes each engine was timed."""
    for fn in engines.values():
        if fn:
            fn()  # warm-up
    per_round = max(1, runs // rounds)
    times = {name: [] for name in engines}
    for _ in range(rounds):
        for name, fn in engines.items():
            if fn is None:
                times[name] += segeval_timer(per_round)
            else:
                times[name] += time_callable(fn, per_round)
    return times, per_round * rounds


def print_table(title, threads, runs, rounds, gflop, times, suffix="", reference="segeval"):
    """The results table: median ms, min ms, GFLOP/s and, if `reference` was timed, its speed-up
    over each engine. Returns the medians."""
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"{title}, {threads} threads, median of {runs} runs "
          f"({rounds} interleaved rounds) after warm-up; {gflop} GFLOP per image{suffix}")
    ratio = reference in medians
    header = f"{'engine':24s} {'median ms':>10s} {'min ms':>8s} {'GFLOP/s':>8s}"
    print(header + (f" {reference + ' speed-up':>17s}" if ratio else ""))
    for name, median in medians.items():
        line = f"{name:24s} {median:10.1f} {min(times[name]):8.1f} {gflop / (median / 1000):8.1f}"
        if ratio:
            line += f" {median / medians[reference]:16.2f}x"
        print(line)
    return medians


def print_targets(medians, targets, reference="segeval"):
    """One line per (engine, minimum speed-up of `reference` over it); if `reference` was not
    timed, one line saying the targets were not evaluated."""
    if reference in medians:
        for name, target in targets:
            ratio = medians[name] / medians[reference]
            print(f"target >= {target}x {name}: {'met' if ratio >= target else 'NOT met'} ({ratio:.2f}x)")
    else:
        print(f"targets ({reference} >= " + ", >= ".join(f"{t}x {n}" for n, t in targets)
              + f"): not evaluated, {reference} skipped")

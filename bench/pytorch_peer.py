#!/usr/bin/python3
"""PyTorch peer of `llmml bench lm`: the same GPT-2-family decoder, batch, optimizer and loss, timed the same way.

Run by `llmml bench lm --peer pytorch` (which sets OMP_WAIT_POLICY=PASSIVE and OPENBLAS_NUM_THREADS and unsets
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for this process only). Prints one JSON object on stdout.
Needs Debian's python3-torch with OpenBLAS: apt-get install python3-torch libopenblas0-pthread
"""
import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # the caller turns this into an install hint
    print(json.dumps({"error": f"python3-torch is missing ({e})"}))
    sys.exit(3)


class Attention(nn.Module):
    # Separate q/k/v/o projections as in LLMML's Attention (GPT-2's c_attn is split at load time there).
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.head_dim = heads, d // heads
        self.q_proj, self.k_proj = nn.Linear(d, d), nn.Linear(d, d)
        self.v_proj, self.o_proj = nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):  # [B, T, D]
        b, t, d = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        if hasattr(F, "scaled_dot_product_attention"):  # torch >= 2.0
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:  # torch 1.13 (Debian 12): GPT-2's own formulation
            s = (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim)
            mask = torch.ones(t, t, dtype=torch.bool).triu(1)
            a = s.masked_fill(mask, float("-inf")).softmax(-1) @ v
        return self.o_proj(a.transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.input_layernorm, self.post_attention_layernorm = nn.LayerNorm(d), nn.LayerNorm(d)
        self.self_attn = Attention(d, heads)
        self.up_proj, self.down_proj = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(self, h):
        h = h + self.self_attn(self.input_layernorm(h))
        return h + self.down_proj(F.gelu(self.up_proj(self.post_attention_layernorm(h)), approximate="tanh"))


class Gpt2(nn.Module):
    def __init__(self, d, layers, heads, vocab, positions=1024):
        super().__init__()
        self.embed_tokens, self.embed_positions = nn.Embedding(vocab, d), nn.Embedding(positions, d)
        self.layers = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        for name, p in self.named_parameters():  # as CausalLanguageModel.InitialiseWeights
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif "layernorm" in name or name.startswith("norm."):
                nn.init.ones_(p)
            else:
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, ids):  # [B, T] -> [B, T, V], tied output matrix
        h = self.embed_tokens(ids) + self.embed_positions(torch.arange(ids.shape[1]))
        for layer in self.layers:
            h = layer(h)
        return F.linear(self.norm(h), self.embed_tokens.weight)


def timed(runs, fn):
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def blas_in_use():
    """The BLAS library actually mapped into this process (libblas.so.3 is a Debian alternative)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    real = sorted({os.path.realpath(p) for p in paths})
    return real


def peak_rss_mb():
    # VmHWM belongs to this image; ru_maxrss would carry over the forking parent's peak across exec.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gemm", action="store_true", help="only time one fp32 GEMM 512x768 by 768x3072")
    parser.add_argument("--hidden", type=int)
    parser.add_argument("--layers", type=int)
    parser.add_argument("--heads", type=int)
    parser.add_argument("--vocab", type=int)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, required=True)
    a = parser.parse_args()

    torch.set_num_threads(a.threads)  # OpenBLAS ignores this; the caller sets OPENBLAS_NUM_THREADS
    if a.gemm:
        x, w = torch.randn(512, 768), torch.randn(768, 3072)
        ms, _ = timed(7, lambda: [x @ w for _ in range(10)])
        print(json.dumps({"gemm_gflops": 2.0 * 512 * 768 * 3072 * 10 / (ms / 1000) / 1e9, "blas": blas_in_use()}))
        return
    if None in (a.hidden, a.layers, a.heads, a.vocab):
        parser.error("--hidden, --layers, --heads and --vocab are required")
    torch.manual_seed(0)
    model = Gpt2(a.hidden, a.layers, a.heads, a.vocab)
    ids = torch.randint(0, a.vocab, (a.batch, a.tokens))
    model(ids[:1, :2])  # maps the BLAS before we look for it
    blas = blas_in_use()
    if not any("openblas" in p for p in blas):
        print(json.dumps({"error": "PyTorch is not using OpenBLAS (" + (", ".join(blas) or "no BLAS mapped")
                          + "); install it: apt-get install libopenblas0-pthread"}))
        sys.exit(4)

    model.eval()

    def forward():
        with torch.no_grad():
            model(ids)

    fwd, fwd_cpu = timed(a.runs, forward)

    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0)  # TorchSharp's AdamW default
    inputs, targets = ids[:, :-1], ids[:, 1:].reshape(-1)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(inputs).reshape(-1, a.vocab), targets)
        loss.backward()
        optimizer.step()

    stp, stp_cpu = timed(a.runs, step)
    print(json.dumps({
        "torch": torch.__version__,
        "blas": blas,
        "threads": a.threads,
        "parameters": sum(p.numel() for p in model.parameters()),
        "forward_ms_median": fwd,
        "forward_cpu_ms_median": fwd_cpu,
        "train_step_ms_median": stp,
        "train_step_cpu_ms_median": stp_cpu,
        "peak_rss_mb": peak_rss_mb(),
    }))


if __name__ == "__main__":
    main()

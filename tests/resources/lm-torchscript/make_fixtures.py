#!/usr/bin/python3
"""Makes the tiny TorchScript causal-LM fixtures used by Atelier's tests (Debian python3-torch 1.13 works).

Two model directories with the SAME random weights (a 2-layer GPT, width 16, 2 heads, context 32) and a
byte-level tokenizer.json without merges (ids 0-255 = bytes, 256 = <|endoftext|>):
  tiny-plain/  forward(input_ids [B,T] int64) -> logits [B,T,V]
  tiny-cache/  forward(input_ids [B,T], k0, v0, k1, v1) -> (logits, k0', v0', k1', v1')
               past keys/values [B,H,T_past,D]; T_past may be 0; positions continue after T_past.
Run from this directory:  /usr/bin/python3 make_fixtures.py
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

V, D, L, H, CTX = 257, 16, 2, 2, 32
HD = D // H


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(D)
        self.qkv = nn.Linear(D, 3 * D)
        self.proj = nn.Linear(D, D)
        self.ln2 = nn.LayerNorm(D)
        self.fc = nn.Linear(D, 4 * D)
        self.out = nn.Linear(4 * D, D)

    def forward(self, x, k_past, v_past):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=2)
        q = q.view(b, t, H, HD).transpose(1, 2)
        k = torch.cat([k_past, k.view(b, t, H, HD).transpose(1, 2)], dim=2)
        v = torch.cat([v_past, v.view(b, t, H, HD).transpose(1, 2)], dim=2)
        tp = k_past.shape[2]
        att = q @ k.transpose(-2, -1) / math.sqrt(HD)
        mask = torch.ones(t, tp + t, dtype=torch.bool).tril(diagonal=tp)
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, D)
        x = x + self.proj(y)
        x = x + self.out(F.gelu(self.fc(self.ln2(x))))
        return x, k, v


class TinyGpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(V, D)
        self.wpe = nn.Embedding(CTX, D)
        self.h = nn.ModuleList([Block() for _ in range(L)])
        self.lnf = nn.LayerNorm(D)

    def run(self, ids, past):
        tp = past[0].shape[2]
        pos = torch.arange(tp, tp + ids.shape[1]).unsqueeze(0)
        x = self.wte(ids) + self.wpe(pos)
        present = []
        for i, blk in enumerate(self.h):
            x, k, v = blk(x, past[2 * i], past[2 * i + 1])
            present += [k, v]
        return self.lnf(x) @ self.wte.weight.t(), present


class Plain(nn.Module):
    def __init__(self, gpt):
        super().__init__()
        self.gpt = gpt

    def forward(self, input_ids):
        b = input_ids.shape[0]
        empty = torch.zeros(b, H, 0, HD)
        logits, _ = self.gpt.run(input_ids, [empty] * (2 * L))
        return logits


class Cached(nn.Module):
    def __init__(self, gpt):
        super().__init__()
        self.gpt = gpt

    def forward(self, input_ids, k0, v0, k1, v1):
        logits, p = self.gpt.run(input_ids, [k0, v0, k1, v1])
        return logits, p[0], p[1], p[2], p[3]


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def tokenizer_json():
    b2u = bytes_to_unicode()
    vocab = {b2u[b]: b for b in range(256)}
    vocab["<|endoftext|>"] = 256
    level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    return {"version": "1.0", "truncation": None, "padding": None,
            "added_tokens": [{"id": 256, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                              "rstrip": False, "normalized": False, "special": True}],
            "normalizer": None, "pre_tokenizer": level, "post_processor": None, "decoder": level,
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                      "vocab": vocab, "merges": []}}


def write(dirname, module, example, cache):
    os.makedirs(dirname, exist_ok=True)
    traced = torch.jit.trace(module.eval(), example)
    traced.save(os.path.join(dirname, "model.pt"))
    with open(os.path.join(dirname, "tokenizer.json"), "w") as f:
        json.dump(tokenizer_json(), f)
    arch = {"type": "torchscript", "kv_cache": cache}
    if cache:
        arch.update({"layers": L, "heads": H, "head_dim": HD})
    manifest = {"format": "atelier-model/1", "kind": "language", "name": dirname, "weights": "model.pt",
                "architecture": arch, "licence": "test fixture, random weights (CC0)",
                "tokenizer": "tokenizer.json", "eos": 256, "pad": 256, "context": CTX, "prefix_space": True}
    with open(os.path.join(dirname, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


if __name__ == "__main__":
    torch.manual_seed(0)
    gpt = TinyGpt()
    with torch.no_grad():
        for p in gpt.parameters():
            p.normal_(0, 0.3)
    ids = torch.tensor([[72, 105, 33]])
    write("tiny-plain", Plain(gpt), (ids,), False)
    empty = torch.zeros(1, H, 0, HD)
    # trace with a non-empty past so the graph keeps the general shapes
    past = [torch.randn(1, H, 2, HD) for _ in range(2 * L)]
    write("tiny-cache", Cached(gpt), (ids, *past), True)
    # self-check: the cached model continues exactly like the plain one
    plain = torch.jit.load("tiny-plain/model.pt")
    cached = torch.jit.load("tiny-cache/model.pt")
    full = plain(torch.tensor([[1, 2, 3, 4, 5]]))
    out = cached(torch.tensor([[1, 2, 3]]), empty, empty, empty, empty)
    step = cached(torch.tensor([[4, 5]]), *out[1:])
    assert torch.allclose(full[:, 3:], step[0], atol=1e-5), (full[:, 3:], step[0])
    print("ok", full.shape, full[0, -1, :4].tolist())

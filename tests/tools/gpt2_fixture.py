"""Runs the GPT-2 export recipe of docs/MODELS.md on a small random GPT-2 and records transformers' outputs.

Not part of the build (CI has no Python): run it by hand where torch and transformers are installed
(made with transformers 4.57.6, torch 2.13 CPU), from the repository root:
    python tests/tools/gpt2_fixture.py tests/resources/lm-gpt2 512 32
(arguments: output directory, vocabulary size, width). Nothing is downloaded: GPT2LMHeadModel.from_pretrained and
GPT2TokenizerFast.from_pretrained are replaced by a GPT2LMHeadModel(GPT2Config(...)) with seeded random weights and
Atelier's byte-level BPE (assets/models/brown-lm/tokenizer.json, its merges cut so that the vocabulary has the
given size); the recipe's code block itself runs unchanged except for its first line (output directory, cache).
Writes OUT/cache and OUT/plain (the two TorchScript forms), OUT/positions-restart (a wrong cached export, for
the loading check) and OUT/reference.json: next-token log-probabilities along fixed token sequences, beam search
by model.generate (single prompts and a left-padded batch), and constrained beam search by transformers'
ConstrainedBeamSearchScorer (tests/tools/hf_reference.py), all on the eager transformers model with the same
weights. Re-running rewrites model.pt files with other bytes (same weights); reference.json comes out identical.
"""
import json
import os
import re
import sys
import tempfile

import torch
import transformers
from transformers import GPT2Config, GPT2LMHeadModel, GPT2TokenizerFast
from transformers.generation.beam_constraints import DisjunctiveConstraint, PhrasalConstraint

sys.path.insert(0, os.path.dirname(__file__))
from hf_reference import constrained  # noqa: E402

OUT, V, E = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
SEED, EOS = 7, 0


def tokenizer_file():
    t = json.load(open("assets/models/brown-lm/tokenizer.json"))
    keep = V - 257  # ids: 0 = <|endoftext|>, 1-256 bytes, then one per merge in order
    t["model"]["merges"] = t["model"]["merges"][:keep]
    t["model"]["vocab"] = {k: i for k, i in t["model"]["vocab"].items() if i < V}
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(t, f)
    f.close()
    return f.name


TOK = tokenizer_file()


def random_gpt2(name=None, **kw):
    torch.manual_seed(SEED)
    cfg = GPT2Config(n_layer=2, n_head=2, n_embd=E, n_positions=128, vocab_size=V, bos_token_id=EOS,
                     eos_token_id=EOS, initializer_range=0.2, **kw)
    return GPT2LMHeadModel(cfg).eval()


def fast_tokenizer(name=None, **kw):
    return GPT2TokenizerFast(tokenizer_file=TOK)


def export(cache):
    doc = open("docs/MODELS.md").read()
    code = re.search(r"```python\n(.*?)```", doc[doc.index("### Exporting GPT-2 from Hugging Face"):], re.S).group(1)
    first = 'out, cache = "gpt2-atelier", True'
    assert first in code, "the recipe's first line changed; update " + __file__
    code = code.replace(first, "out, cache = %r, %r" % (os.path.join(OUT, "cache" if cache else "plain"), cache))
    GPT2LMHeadModel.from_pretrained = staticmethod(random_gpt2)
    GPT2TokenizerFast.from_pretrained = staticmethod(fast_tokenizer)
    exec(code, {"__name__": "recipe"})


class PositionsRestart(torch.nn.Module):
    """A wrong cached export for the loading check: a new token's position restarts at 0 after the cache."""
    def __init__(self):
        super().__init__()
        self.tok, self.pos, self.head = torch.nn.Embedding(V, 4), torch.nn.Embedding(128, 4), torch.nn.Linear(4, V)

    def forward(self, input_ids, k0, v0, k1, v1):
        x = self.tok(input_ids) + self.pos(torch.arange(input_ids.shape[1]))
        kv = x.unsqueeze(1)  # [B, 1, T, 4]: heads 1, head_dim 4
        return (self.head(x), torch.cat([k0, kv], 2), torch.cat([v0, kv], 2), torch.cat([k1, kv], 2),
                torch.cat([v1, kv], 2))


def positions_restart():
    d = os.path.join(OUT, "positions-restart")
    os.makedirs(d, exist_ok=True)
    torch.manual_seed(SEED)
    torch.jit.script(PositionsRestart()).save(os.path.join(d, "model.pt"))
    fast_tokenizer().backend_tokenizer.save(os.path.join(d, "tokenizer.json"))
    json.dump({"format": "atelier-model/1", "kind": "language", "name": "positions-restart", "weights": "model.pt",
               "architecture": {"type": "torchscript", "kv_cache": True, "layers": 2, "heads": 1, "head_dim": 4},
               "tokenizer": "tokenizer.json", "eos": EOS, "pad": EOS, "context": 128},
              open(os.path.join(d, "manifest.json"), "w"), indent=2)


def top(lp, k=12):
    v, i = torch.topk(lp, k)
    return [[int(a), round(float(b), 5)] for a, b in zip(i, v)]


def main():
    for cache in (True, False):
        export(cache)
    positions_restart()
    model, tok = random_gpt2(), fast_tokenizer()
    prompts = ["The soldiers", "The child", "It was a"]
    ref = {"steps": [], "beam": [], "constrained": []}
    with torch.no_grad():
        for p in prompts:
            ids = tok.encode(p)
            # log-probs after the prompt and after each of 20 further tokens (ids fixed by a rule)
            follow = [(37 * j + len(ids)) % V for j in range(20)]
            lp = torch.log_softmax(model(torch.tensor([ids + follow])).logits[0].float(), -1)
            ref["steps"].append({"prompt": p, "ids": ids, "follow": follow,
                                 "top": [top(lp[len(ids) - 1 + j]) for j in range(len(follow) + 1)]})
            g = model.generate(torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long), num_beams=4, num_return_sequences=4, max_new_tokens=12,
                               do_sample=False, early_stopping=False, length_penalty=1.0, eos_token_id=EOS,
                               pad_token_id=EOS, output_scores=True, return_dict_in_generate=True)
            ref["beam"].append({"prompt": p, "num_beams": 4, "num_return_sequences": 4, "max_new_tokens": 12,
                                "expect": [[q, round(s, 4)] for q, s in
                                           zip(g.sequences.tolist(), g.sequences_scores.tolist())]})
            phrase, options = " the river", [" in the", " at", " on a"]
            cons = [PhrasalConstraint(tok.encode(phrase)),
                    DisjunctiveConstraint([tok.encode(o) for o in options])]
            s = {"num_beams": 4, "max_length": len(ids) + 12, "length_penalty": 1.0, "early_stopping": "false",
                 "num_return_sequences": 2, "no_repeat_ngram_size": 0, "min_length": 0}
            seqs, scores = constrained(model, torch.tensor([ids]), cons, [], s, EOS, EOS)
            ref["constrained"].append({"prompt": p, "phrase": phrase, "phrase_ids": tok.encode(phrase),
                                       "any": options, "any_ids": [tok.encode(o) for o in options],
                                       "num_beams": 4, "num_return_sequences": 2, "max_length": len(ids) + 12,
                                       "expect": [[q, round(c, 4)] for q, c in zip(seqs, scores)]})
        # one batch of prompts of different lengths: transformers pads on the left, Atelier decodes by length
        rows = [tok.encode(p) for p in prompts]
        w = max(len(r) for r in rows)
        g = model.generate(torch.tensor([[EOS] * (w - len(r)) + r for r in rows]),
                           attention_mask=torch.tensor([[0] * (w - len(r)) + [1] * len(r) for r in rows]),
                           num_beams=3, num_return_sequences=2, max_new_tokens=10, do_sample=False,
                           early_stopping=False, length_penalty=1.0, eos_token_id=EOS, pad_token_id=EOS,
                           output_scores=True, return_dict_in_generate=True)
        expect = []
        for i, (q, sc) in enumerate(zip(g.sequences.tolist(), g.sequences_scores.tolist())):
            q = q[w - len(rows[i // 2]):]  # without the left padding
            if EOS in q[len(rows[i // 2]):]:
                q = q[:q.index(EOS, len(rows[i // 2])) + 1]
            expect.append([q, round(sc, 4)])
        ref["batch"] = [{"prompts": prompts, "num_beams": 3, "num_return_sequences": 2, "max_new_tokens": 10,
                         "expect": expect}]
    ref["about"] = ("Outputs of Hugging Face transformers %s on PyTorch %s (CPU) for the random GPT-2 exported to "
                    "cache/ and plain/ by tests/tools/gpt2_fixture.py (vocabulary %d, width %d, seed %d): top-12 "
                    "next-token log-probs (5 decimals) along each prompt and fixed follow-up ids; model.generate "
                    "beam search, per prompt and for the left-padded batch of all prompts (padding removed); ConstrainedBeamSearchScorer with a phrase and a disjunction (mid-text ids); "
                    "scores rounded to 4 decimals." % (transformers.__version__, torch.__version__, V, E, SEED))
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        f.write("{\n" + ",\n".join(json.dumps(k) + ": " + (json.dumps(v) if isinstance(v, str) else
                                     "[\n  " + ",\n  ".join(json.dumps(x) for x in v) + "\n ]")
                                     for k, v in ref.items()) + "\n}\n")
    os.unlink(TOK)


main()

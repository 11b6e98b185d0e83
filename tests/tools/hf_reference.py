"""Makes hf-parity reference data with the real Hugging Face transformers (4.57.x) on PyTorch CPU.

Not part of the build: run it by hand where torch and transformers 4.57 are installed, e.g.
    python tests/tools/hf_reference.py tests/resources/text/toy-bigram.json 60 7 > tests/resources/text/hf-parity-extra.json
(arguments: model, number of random cases, seed). Plain cases (no required constraint) run transformers' own
`generate`; constrained cases run transformers' ConstrainedBeamSearchScorer in the generation loop of
`_constrained_beam_search` (moved to the Hub after 4.56), with transformers' logits processors.
"""
import json
import math
import random
import sys

import torch
from torch import nn
from transformers import GenerationMixin, LogitsProcessorList, PretrainedConfig, PreTrainedModel
from transformers.generation.beam_constraints import DisjunctiveConstraint, PhrasalConstraint
from transformers.generation.beam_search import ConstrainedBeamSearchScorer
from transformers.generation.logits_process import (MinLengthLogitsProcessor, NoBadWordsLogitsProcessor,
                                                    NoRepeatNGramLogitsProcessor)
from transformers.modeling_outputs import CausalLMOutput


class BigramConfig(PretrainedConfig):
    model_type = "atelier-bigram"


class Bigram(PreTrainedModel, GenerationMixin):
    """The atelier-bigram/1 model: logits ln p (listed) or ln floor, from the previous token only."""
    config_class = BigramConfig
    main_input_name = "input_ids"

    def __init__(self, config, table):
        super().__init__(config)
        self.table = table
        self.unused = nn.Parameter(torch.zeros(1))

    def forward(self, input_ids=None, attention_mask=None, **kwargs):
        return CausalLMOutput(logits=self.table[input_ids])

    def prepare_inputs_for_generation(self, input_ids, attention_mask=None, **kwargs):
        return {"input_ids": input_ids}


def load(path):
    m = json.load(open(path))
    v = len(m["vocab"])
    table = torch.full((v, v), math.log(m["floor"]), dtype=torch.float32)
    for prev, row in m["next"].items():
        for nxt, p in row.items():
            table[int(prev), int(nxt)] = math.log(p)
    cfg = BigramConfig(vocab_size=v, eos_token_id=m["eos"], pad_token_id=m["pad"])
    return m, Bigram(cfg, table)


def constrained(model, input_ids, constraints, bad, s, eos, pad):
    nb, batch, max_length = s["num_beams"], input_ids.shape[0], s["max_length"]
    procs = LogitsProcessorList()
    if s["no_repeat_ngram_size"] > 0:
        procs.append(NoRepeatNGramLogitsProcessor(s["no_repeat_ngram_size"]))
    if bad:
        procs.append(NoBadWordsLogitsProcessor(bad, eos_token_id=eos))
    if s["min_length"] > 0:
        procs.append(MinLengthLogitsProcessor(s["min_length"], eos_token_id=eos))
    es = {"true": True, "false": False}.get(s["early_stopping"], "never")
    scorer = ConstrainedBeamSearchScorer(batch_size=batch, num_beams=nb, constraints=constraints, device="cpu",
                                         length_penalty=s["length_penalty"], do_early_stopping=es,
                                         num_beam_hyps_to_keep=s["num_return_sequences"], max_length=max_length)
    input_ids = input_ids.repeat_interleave(nb, dim=0)
    beam_scores = torch.zeros((batch, nb), dtype=torch.float)
    beam_scores[:, 1:] = -1e9
    beam_scores = beam_scores.view((batch * nb,))
    prompt_len = input_ids.shape[-1]
    eos_t, pad_t = torch.tensor([eos]), torch.tensor(pad)
    while True:
        logits = model(input_ids).logits[:, -1, :].clone().float()
        scores = procs(input_ids, nn.functional.log_softmax(logits, dim=-1))
        scores = scores + beam_scores[:, None].expand_as(scores)
        all_vocab = scores.clone()
        v = scores.shape[-1]
        top_scores, top_tokens = torch.topk(scores.view(batch, nb * v), 2 * nb, dim=1, largest=True, sorted=True)
        top_beams = (top_tokens / v).long()
        top_tokens = top_tokens % v
        out = scorer.process(input_ids, top_scores, top_tokens, top_beams, all_vocab, pad_token_id=pad_t,
                             eos_token_id=eos_t, decoder_prompt_len=prompt_len)
        beam_scores = out["next_beam_scores"]
        input_ids = torch.cat([input_ids[out["next_beam_indices"], :], out["next_beam_tokens"].unsqueeze(-1)], dim=-1)
        if scorer.is_done or input_ids.shape[-1] >= max_length or bool((input_ids[:, -1] == eos).all()):
            break
    res = scorer.finalize(input_ids, beam_scores, top_tokens, top_beams, pad_token_id=pad_t, eos_token_id=eos_t,
                          max_length=max_length, decoder_prompt_len=prompt_len)
    return res["sequences"].tolist(), res["sequence_scores"].tolist()


def run(m, model, prompts, cons, s):
    vocab = m["vocab"]
    ids = {w: i for i, w in enumerate(vocab)}
    eos, pad = m["eos"], m["pad"]
    toks = [[ids[w] for w in p] for p in prompts]
    plen = max(len(p) for p in toks)
    input_ids = torch.tensor([[pad] * (plen - len(p)) + p for p in toks])
    mask = torch.tensor([[0] * (plen - len(p)) + [1] * len(p) for p in toks])
    req, bad = [], []
    for c in cons:
        (k, val), = c.items()
        if k == "phrase":
            req.append(PhrasalConstraint([ids[w] for w in val.split()]))
        elif k == "any":
            req.append(DisjunctiveConstraint([[ids[w] for w in o.split()] for o in val]))
        elif k == "ban":
            bad.append([ids[w] for w in val.split()])
    if req:
        seqs, scores = constrained(model, input_ids, req, bad, s, eos, pad)
    else:
        es = {"true": True, "false": False}.get(s["early_stopping"], "never")
        kw = dict(num_beams=s["num_beams"], max_length=s["max_length"], length_penalty=s["length_penalty"],
                  early_stopping=es, num_return_sequences=s["num_return_sequences"],
                  no_repeat_ngram_size=s["no_repeat_ngram_size"], min_length=s["min_length"], do_sample=False,
                  output_scores=True, return_dict_in_generate=True, use_cache=False, eos_token_id=eos,
                  pad_token_id=pad)
        if bad:
            kw["bad_words_ids"] = bad
        g = model.generate(input_ids, attention_mask=mask, **kw)
        seqs, scores = g.sequences.tolist(), g.sequences_scores.tolist()
    return [[" ".join(vocab[t] for t in q), "-inf" if sc == float("-inf") else round(sc, 4)]
            for q, sc in zip(seqs, scores)]


def random_case(rnd, words):
    prompts = [[rnd.choice(words) for _ in range(rnd.randint(1, 3))] for _ in range(rnd.randint(1, 3))]
    cons, used, bans = [], set(), []
    for _ in range(rnd.randint(0, 3)):
        r = rnd.random()
        if r < 0.45:
            ph = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 2)))
            cons.append({"phrase": ph})
            used.update(ph.split())
        elif r < 0.85:
            opts, base = [], rnd.choice(words)
            for _ in range(50):
                if len(opts) == rnd.randint(1, 3):
                    break
                o = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 3)))
                o = base + " " + o if rnd.random() < 0.5 else o
                t = o.split()
                if any(t == p.split()[:len(t)] or p.split() == t[:len(p.split())] for p in opts):
                    continue
                opts.append(o)
            if opts:
                cons.append({"any": opts})
                for o in opts:
                    used.update(o.split())
        else:
            bans.append(rnd.choice(words))
    cons += [{"ban": b} for b in bans if b not in used]
    plen = max(len(p) for p in prompts)
    nb = rnd.randint(2, 4)
    s = {"num_beams": nb, "max_length": plen + rnd.randint(2, 7),
         "length_penalty": rnd.choice([1.0, 1.0, 0.5, 2.0, 0.0, -1.0]),
         "early_stopping": rnd.choice(["false", "false", "true", "never"]),
         "num_return_sequences": rnd.randint(1, nb), "no_repeat_ngram_size": rnd.choice([0, 0, 0, 2, 3]),
         "min_length": rnd.choice([0, 0, plen + 2])}
    return prompts, cons, s


def main():
    path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    m, model = load(path)
    words = [w for i, w in enumerate(m["vocab"]) if i not in (m["eos"], m["pad"])]
    rnd = random.Random(seed)
    cases = []
    for i in range(n):
        prompts, cons, s = random_case(rnd, words)
        case = {"name": "random-%d" % i, "prompts": prompts, "constraints": cons}
        case.update(s)
        case["expect"] = run(m, model, prompts, cons, s)
        cases.append(case)
    import transformers
    about = ("Outputs of Hugging Face transformers %s on PyTorch %s (CPU, %s) for the toy bigram model, made by "
             "tests/tools/hf_reference.py with seed %d: plain cases by transformers' generate, constrained ones by "
             "its ConstrainedBeamSearchScorer in the _constrained_beam_search loop; bans as bad_words_ids. Settings "
             "are per case; texts include <pad> filling batch rows; scores rounded to 4 decimals."
             % (transformers.__version__, torch.__version__, torch.backends.cpu.get_cpu_capability(), seed))
    print(json.dumps({"about": about, "cases": cases}, indent=1))


if __name__ == "__main__":
    main()

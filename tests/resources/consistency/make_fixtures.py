"""Makes the tiny consistency-model fixtures used by the engine tests.

Run from the repository root with a Python that has PyTorch (Debian's python3-torch 1.13 was used):
    /usr/bin/python3 tests/resources/consistency/make_fixtures.py
Everything is deterministic (fixed seeds). Each model directory gets model.pt and manifest.json; the good
models also get expected.json: inputs and the f(x, sigma) that PyTorch computes for them, which the Java
adapter must reproduce.
"""
import json
import math
import os
import pickle

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
SIGMA_DATA, EPS, T = 0.5, 0.002, 80.0


class TinyNet(nn.Module):
    """F(x, c_noise[, y]): two 3x3 convolutions with a noise (and class) embedding added in between."""

    def __init__(self, channels, classes=0, hidden=8):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, hidden, 3, padding=1)
        self.emb = nn.Linear(1, hidden)
        self.cls = nn.Embedding(classes, hidden) if classes else None
        self.conv2 = nn.Conv2d(hidden, channels, 3, padding=1)

    def raw(self, x, c_noise, y=None):
        h = self.conv1(x) + self.emb(c_noise[:, None])[:, :, None, None]
        if self.cls is not None:
            h = h + self.cls(y)[:, :, None, None]
        return self.conv2(F.silu(h))


def scalings(sigma):
    c_skip = SIGMA_DATA ** 2 / ((sigma - EPS) ** 2 + SIGMA_DATA ** 2)
    c_out = (sigma - EPS) * SIGMA_DATA / torch.sqrt(sigma ** 2 + SIGMA_DATA ** 2)
    c_in = 1.0 / torch.sqrt(sigma ** 2 + SIGMA_DATA ** 2)
    return c_skip, c_out, c_in


class Inside(nn.Module):
    """Scalings inside, c_noise = ln(sigma)/4: forward(x, sigma) = f(x, sigma)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x, sigma):
        c_skip, c_out, c_in = scalings(sigma)
        r = self.net.raw(x * c_in[:, None, None, None], torch.log(sigma) / 4.0)
        return c_skip[:, None, None, None] * x + c_out[:, None, None, None] * r


class OutsideConditional(nn.Module):
    """Scalings outside, class-conditional: forward(c_in*x, c_noise, y) = F."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x, c_noise, y):
        return self.net.raw(x, c_noise, y)


class HalfSize(nn.Module):
    """Returns a tensor of the wrong shape (every other pixel)."""

    def forward(self, x, sigma):
        return x[:, :, ::2, ::2] * 1.0


def manifest(name, size, channels, inside, c_noise, classes=None):
    return {
        "format": "atelier-model/1", "kind": "consistency", "name": name, "weights": "model.pt",
        "architecture": {"type": "torchscript", "note": "test fixture, random weights"},
        "licence": "CC0-1.0 (test fixture)",
        "training": {"command": "tests/resources/consistency/make_fixtures.py", "data": "none", "steps": 0,
                     "seconds": 0.0},
        "image": {"size": size, "channels": channels}, "classes": classes, "c_noise": c_noise,
        "scalings_inside": inside, "sigma_data": SIGMA_DATA, "sigma_min": EPS, "sigma_max": T,
        "default_steps": 2, "schedules": {"1": [80.0], "2": [80.0, 0.8], "3": [80.0, 2.0, 0.4]},
    }


def write_dir(name, man, module=None, raw_bytes=None):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.pt")
    if module is not None:
        module.save(path)
    else:
        with open(path, "wb") as f:
            f.write(raw_bytes)
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(man, f, indent=2)
        f.write("\n")
    return d


def expected(d, fn, x, sigma, y=None):
    with torch.no_grad():
        out = fn(x, sigma, y)
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump({"shape": list(x.shape), "x": x.flatten().tolist(), "sigma": sigma.tolist(),
                   "labels": None if y is None else y.tolist(), "f": out.flatten().tolist()}, f)
        f.write("\n")


def main():
    torch.manual_seed(1234)
    size = 8
    sigma = torch.tensor([80.0, 2.5, 0.3])

    gray = TinyNet(1).eval()
    inside = torch.jit.trace(Inside(gray), (torch.zeros(2, 1, size, size), torch.ones(2)))
    d = write_dir("good-inside", manifest("fixture gray, scalings inside", size, 1, True, "ln(sigma)/4"), inside)
    x = torch.randn(3, 1, size, size).clamp(-1, 1)
    expected(d, lambda x, s, y: Inside(gray)(x, s), x, sigma)

    rgb = TinyNet(3, classes=3).eval()
    outside = torch.jit.trace(OutsideConditional(rgb),
                              (torch.zeros(2, 3, size, size), torch.ones(2), torch.zeros(2, dtype=torch.long)))
    d = write_dir("good-outside", manifest("fixture RGB, scalings outside", size, 3, False, "250*ln(sigma)",
                                           ["red", "green", "blue"]), outside)
    x = torch.randn(3, 3, size, size).clamp(-1, 1)
    y = torch.tensor([0, 2, 1])

    def f_outside(x, s, y):
        c_skip, c_out, c_in = scalings(s)
        r = rgb.raw(x * c_in[:, None, None, None], 250.0 * torch.log(s), y)
        return c_skip[:, None, None, None] * x + c_out[:, None, None, None] * r

    expected(d, f_outside, x, sigma, y)

    # A 3-channel network whose manifest claims 1 channel: the dry run must fail clearly.
    write_dir("wrong-channels", manifest("fixture, manifest says 1 channel, network wants 3", size, 1, True,
                                         "ln(sigma)/4"), torch.jit.trace(Inside(TinyNet(3)).eval(),
                                                                         (torch.zeros(2, 3, size, size), torch.ones(2))))
    write_dir("wrong-shape", manifest("fixture, output half the size", size, 1, True, "ln(sigma)/4"),
              torch.jit.trace(HalfSize(), (torch.zeros(2, 1, size, size), torch.ones(2))))

    # A torch.save checkpoint (zip with data.pkl, no code/) and a bare pickle (starts with 0x80).
    ckpt = os.path.join(HERE, "checkpoint")
    os.makedirs(ckpt, exist_ok=True)
    torch.save(gray.state_dict(), os.path.join(ckpt, "model.pt"))
    with open(os.path.join(ckpt, "manifest.json"), "w") as f:
        json.dump(manifest("fixture, torch.save checkpoint", size, 1, True, "ln(sigma)/4"), f, indent=2)
        f.write("\n")
    write_dir("pickle", manifest("fixture, raw pickle", size, 1, True, "ln(sigma)/4"),
              raw_bytes=pickle.dumps({"weights": [1.0, 2.0]}, protocol=2))
    # A good TorchScript file without a manifest next to it.
    nomani = os.path.join(HERE, "no-manifest")
    os.makedirs(nomani, exist_ok=True)
    inside.save(os.path.join(nomani, "model.pt"))

    # Images the JDK cannot write itself: a CMYK JPEG and a gray+alpha PNG.
    from PIL import Image
    img_dir = os.path.join(HERE, "..", "images")
    os.makedirs(img_dir, exist_ok=True)
    cmyk = Image.new("CMYK", (40, 30), (0, 255, 255, 0))  # pure red in CMYK
    cmyk.save(os.path.join(img_dir, "red-cmyk.jpg"), quality=95)
    la = Image.new("LA", (20, 20), (0, 0))  # black, fully transparent: composited on white gives white
    for i in range(20):
        for j in range(10):
            la.putpixel((i, j), (0, 255))  # top half opaque black
    la.save(os.path.join(img_dir, "gray-alpha.png"))
    # A JPEG stored sideways (20x10, left half black) with EXIF orientation 6 (show rotated 90 degrees
    # clockwise): upright it is 10x20 with the top half black.
    side = Image.new("L", (20, 10), 255)
    for i in range(10):
        for j in range(10):
            side.putpixel((i, j), 0)
    exif = Image.Exif()
    exif[0x0112] = 6
    side.save(os.path.join(img_dir, "exif-orientation-6.jpg"), exif=exif.tobytes(), quality=95)


if __name__ == "__main__":
    main()

# PyTorch reference speed of pre-activation ResNet-18k (kuangliu/pytorch-cifar PreActResNet18 with width k,
# as make_resnet18k in Nakkiran et al. 2020): training step (forward + backward + SGD) and inference img/s, JSON.
"""Usage: /usr/bin/python3 bench/torch_speed.py [--k 4,8,16,32] [--threads 1,2] [--batch 128]
[--infer-batch 512] [--steps 3] [--warmup 1] [--no-infer]
       /usr/bin/python3 bench/torch_speed.py --end-to-end DIR --k 4 --threads 1 [--epochs 30]

--end-to-end trains one model with the recipe in DIR/meta.json on DIR's exported split (bench/end-to-end.ts
writes it: train/retain/forget/validation/test as NHWC float32 + int32 labels): SGD with momentum and weight
decay, the cosine learning rate per step, seeded shuffling, then error rates on every split at batch 500 — the
same work as `unlearn train` for one cpu-profile original.

Prints one JSON object: {"torch": version, "onednn": bool, "results": [{k, threads, trainImgPerSec,
inferImgPerSec, peakRssMiB}, ...]}. The model mirrors lib/models/resnet18k.ts: BN-ReLU-conv3x3-BN-ReLU-conv3x3
blocks, 1x1 projection shortcuts on the pre-activated input, final BN-ReLU, global average pool, linear.
"""
import argparse
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class PreActBlock(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.shortcut = nn.Conv2d(cin, planes, 1, stride, bias=False) if stride != 1 or cin != planes else None

    def forward(self, x):
        out = F.relu(self.bn1(x))
        sc = self.shortcut(out) if self.shortcut is not None else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + sc


class PreActResNet18k(nn.Module):
    def __init__(self, k, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, k, 3, 1, 1, bias=False)
        layers, cin = [], k
        for mult, stride in [(1, 1), (2, 2), (4, 2), (8, 2)]:
            for b in range(2):
                layers.append(PreActBlock(cin, mult * k, stride if b == 0 else 1))
                cin = mult * k
        self.layers = nn.Sequential(*layers)
        self.bn = nn.BatchNorm2d(cin)
        self.linear = nn.Linear(cin, num_classes)

    def forward(self, x):
        out = self.layers(self.conv1(x))
        out = F.relu(self.bn(out)).mean((2, 3))
        return self.linear(out)


def measure(k, threads, batch, infer_batch, steps, warmup, infer):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = PreActResNet18k(k)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(batch, 3, 32, 32)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    model.train()
    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    train = steps * batch / (time.perf_counter() - t0)
    inf = None
    if infer:
        model.eval()
        xi = torch.randn(infer_batch, 3, 32, 32)
        with torch.no_grad():
            model(xi)
            t1 = time.perf_counter()
            model(xi)
            inf = infer_batch / (time.perf_counter() - t1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"k": k, "threads": threads, "trainImgPerSec": train, "inferImgPerSec": inf, "peakRssMiB": peak,
            "trainBatch": batch, "inferBatch": infer_batch, "steps": steps}


def end_to_end(d, k, threads, epochs):
    import os
    import numpy as np
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    meta = json.load(open(os.path.join(d, "meta.json")))
    h, w, c = meta["shape"]
    rec = meta["recipe"]

    def split(name):
        x = np.fromfile(os.path.join(d, f"{name}.x.f32"), dtype=np.float32).reshape(-1, h, w, c)
        y = np.fromfile(os.path.join(d, f"{name}.y.i32"), dtype=np.int32)
        return torch.from_numpy(x).permute(0, 3, 1, 2).contiguous(), torch.from_numpy(y).long()

    x, y = split("train")
    model = PreActResNet18k(k, meta["numClasses"])
    opt_cfg = rec["optimizer"]
    opt = torch.optim.SGD(model.parameters(), lr=rec["lr"], momentum=opt_cfg["momentum"], weight_decay=opt_cfg["weightDecay"])
    bs, n = rec["batchSize"], x.shape[0]
    steps_per_epoch = (n + bs - 1) // bs
    total, done = epochs * steps_per_epoch, 0
    g = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        for s in range(0, n, bs):
            for group in opt.param_groups:
                group["lr"] = 0.5 * rec["lr"] * (1 + math.cos(math.pi * done / total))
            idx = perm[s:s + bs]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            done += 1
            if not math.isfinite(loss.item()):
                raise SystemExit("diverged")
    model.eval()
    errors = {}
    with torch.no_grad():
        for name in ["retain", "forget", "validation", "test"]:
            xs, ys = split(name)
            wrong = sum(int((model(xs[s:s + 500]).argmax(1) != ys[s:s + 500]).sum()) for s in range(0, xs.shape[0], 500))
            errors[name] = wrong / max(1, xs.shape[0])
    print(json.dumps({"k": k, "threads": threads, "epochs": epochs, "errors": errors}))


def ints(s):
    return [int(v) for v in s.split(",") if v.strip()]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--k", default="4,8,16,32")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--infer-batch", type=int, default=512)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--no-infer", action="store_true")
    p.add_argument("--end-to-end", metavar="DIR")
    p.add_argument("--epochs", type=int, default=30)
    a = p.parse_args()
    if a.end_to_end:
        return end_to_end(a.end_to_end, ints(a.k)[0], ints(a.threads)[0], a.epochs)
    results = []
    for t in ints(a.threads):
        for k in ints(a.k):
            r = measure(k, t, a.batch, a.infer_batch, a.steps, a.warmup, not a.no_infer)
            print(f"torch k={k} threads={t}: train {r['trainImgPerSec']:.1f} img/s, infer {r['inferImgPerSec'] or 0:.1f} img/s",
                  file=sys.stderr)
            results.append(r)
    print(json.dumps({"torch": torch.__version__, "onednn": torch.backends.mkldnn.is_available(),
                      "results": results}))


if __name__ == "__main__":
    main()

"""Data augmentation and test-time augmentation with the tfjs engine's draws and arithmetic
(engine/data/augment.ts, engine/train/testTimeAugmentation.ts): each training image gets its own
draw from one mulberry32 stream seeded with deriveSeed(seed, 11), in the same order, so both engines
train on the same augmented images; the geometry is one inverse affine map sampled bilinearly with
zeros outside, then noise and cutout."""
import math
from typing import List

import torch

from .loop import Context, Hook
from .metrics import correct_count
from .rng import derive_seed, gaussian, make_rng

TTA_CHUNK = 256


class Augmenter:
    def __init__(self, spec: dict, shape: List[int], seed: int):
        self.spec = spec
        self.h, self.w, self.c = shape
        self.rng = make_rng(seed)
        cy, cx = (self.h - 1) / 2, (self.w - 1) / 2
        oy, ox = torch.meshgrid(torch.arange(self.h, dtype=torch.float64), torch.arange(self.w, dtype=torch.float64), indexing='ij')
        self.u0, self.v0, self.cy, self.cx = ox - cx, oy - cy, cy, cx

    def draw(self) -> dict:
        s, rng = self.spec, self.rng
        rand_int = lambda m: math.floor(rng() * (2 * m + 1)) - m  # noqa: E731
        d = {'flipH': rng() < 0.5 if s.get('flipHorizontal') else False,
             'flipV': rng() < 0.5 if s.get('flipVertical') else False}
        d['dx'] = (rand_int(s['shift']) if s.get('shift') else 0) + (rand_int(s['randomCrop']) if s.get('randomCrop') else 0)
        d['dy'] = (rand_int(s['shift']) if s.get('shift') else 0) + (rand_int(s['randomCrop']) if s.get('randomCrop') else 0)
        lo_hi = s.get('randomScale')
        d['scale'] = lo_hi[0] + rng() * (lo_hi[1] - lo_hi[0]) if lo_hi else 1
        d['angle'] = (rng() * 2 - 1) * s['rotation'] * math.pi / 180 if s.get('rotation') else 0
        return d

    def apply_one(self, img: torch.Tensor) -> torch.Tensor:
        """One image [h, w, c], changed as one draw says (augment.ts applyOne)."""
        s, rng, d = self.spec, self.rng, self.draw()
        if d['flipH'] or d['flipV'] or d['dx'] or d['dy'] or d['scale'] != 1 or d['angle']:
            img = self.warp(img, d)
        if s.get('gaussianNoise'):
            noise = torch.tensor([gaussian(rng) for _ in range(img.numel())], dtype=torch.float64)
            img = (img.double() + s['gaussianNoise'] * noise.reshape(img.shape)).to(torch.float32)
        if s.get('cutout'):
            side = s['cutout']
            # The square's centre is anywhere in the image, so it may hang over the edge.
            top = math.floor(rng() * self.h) - side // 2
            left = math.floor(rng() * self.w) - side // 2
            img = img.clone()
            img[max(0, top):max(0, top + side), max(0, left):max(0, left + side), :] = 0
        return img

    def warp(self, src: torch.Tensor, d: dict) -> torch.Tensor:
        cos = math.cos(d['angle']) / d['scale']
        sin = math.sin(d['angle']) / d['scale']
        u, v = self.u0 - d['dx'], self.v0 - d['dy']
        sx = cos * u + sin * v + self.cx
        sy = -sin * u + cos * v + self.cy
        if d['flipH']:
            sx = self.w - 1 - sx
        if d['flipV']:
            sy = self.h - 1 - sy
        x0, y0 = torch.floor(sx), torch.floor(sy)
        fx, fy = (sx - x0).unsqueeze(-1), (sy - y0).unsqueeze(-1)
        x0, y0 = x0.long(), y0.long()
        img = src.double()

        def at(yy, xx):
            inside = ((yy >= 0) & (yy < self.h) & (xx >= 0) & (xx < self.w)).unsqueeze(-1)
            return torch.where(inside, img[yy.clamp(0, self.h - 1), xx.clamp(0, self.w - 1)], torch.zeros(()).double())

        out = (at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx) * (1 - fy) + (at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx) * fy
        # Integer positions (flips, shifts, crops) take the pixel exactly.
        exact = ((fx == 0) & (fy == 0))
        out = torch.where(exact, at(y0, x0), out)
        return out.to(torch.float32)

    def __call__(self, x: torch.Tensor, _step: int) -> torch.Tensor:
        return torch.stack([self.apply_one(img) for img in x])


class AugmentHook(Hook):
    def __init__(self, augmenter: Augmenter):
        self.augmenter = augmenter

    def begin(self, ctx: Context) -> None:
        ctx.augment = self.augmenter


def scaled_offsets(H: int, W: int, h: int, w: int, crops: int):
    centre = [(H - h) // 2, (W - w) // 2]
    return [centre] if crops == 1 else [centre, [0, 0], [0, W - w], [H - h, 0], [H - h, W - w]]


def resize_bilinear(x: torch.Tensor, H: int, W: int) -> torch.Tensor:
    """tf.image.resizeBilinear without aligned corners or half-pixel centres: source = target * in / out."""
    n, h, w, c = x.shape
    ys = torch.arange(H, dtype=torch.float64) * (h / H)
    xs = torch.arange(W, dtype=torch.float64) * (w / W)
    y0, x0 = ys.floor().long(), xs.floor().long()
    y1, x1 = (y0 + 1).clamp(max=h - 1), (x0 + 1).clamp(max=w - 1)
    fy, fx = (ys - y0).reshape(1, H, 1, 1).float(), (xs - x0).reshape(1, 1, W, 1).float()
    top = x[:, y0][:, :, x0] * (1 - fx) + x[:, y0][:, :, x1] * fx
    bottom = x[:, y1][:, :, x0] * (1 - fx) + x[:, y1][:, :, x1] * fx
    return top * (1 - fy) + bottom * fy


def tta_views(x: torch.Tensor, tta: dict) -> List[torch.Tensor]:
    """Every view of a batch [n, h, w, c]: each crop (centre first, then the corners), each with the flips asked for."""
    n, h, w, c = x.shape
    views = []

    def with_flips(crop):
        views.append(crop)
        if tta.get('flipHorizontal'):
            views.append(crop.flip(2))
        if tta.get('flipVertical'):
            views.append(crop.flip(1))

    p = tta.get('padding', 0)
    if tta.get('crops', 1) == 1:
        with_flips(x)
    else:
        padded = torch.nn.functional.pad(x, (0, 0, p, p, p, p))
        for top, left in [[p, p], [0, 0], [0, 2 * p], [2 * p, 0], [2 * p, 2 * p]]:
            with_flips(padded[:, top:top + h, left:left + w, :])
    for scale in tta.get('scales') or [1]:
        if scale <= 1:
            continue
        big = resize_bilinear(x, round(h * scale), round(w * scale))
        for top, left in scaled_offsets(big.shape[1], big.shape[2], h, w, tta.get('crops', 1)):
            with_flips(big[:, top:top + h, left:left + w, :])
    return views


class TestTimeAugmentationHook(Hook):
    """EpochPoint.valAccuracyTTA: the accuracy of the mean output over the views of each validation image."""

    def __init__(self, tta: dict):
        self.tta = tta

    def after_epoch(self, ctx: Context, point: dict) -> None:
        if ctx.val is None or ctx.val.n == 0:
            return
        ctx.net.eval()
        correct = 0
        with torch.no_grad():
            for s in range(0, ctx.val.n, TTA_CHUNK):
                x = ctx.val.x[s:s + TTA_CHUNK].to(ctx.device)
                views = tta_views(x, self.tta)
                mean = sum(ctx.net(v) for v in views) / len(views)
                correct += correct_count(ctx.val.y[s:s + TTA_CHUNK].to(ctx.device), mean)
        point['valAccuracyTTA'] = correct / ctx.val.n


def augment_hooks(spec: dict) -> List[Hook]:
    hooks: List[Hook] = []
    inp = spec['model']['input']
    aug = spec.get('data', {}).get('augment')
    if aug and len(inp) == 3:
        hooks.append(AugmentHook(Augmenter(aug, inp, derive_seed(spec['train']['seed'], 11))))
    tta = spec.get('data', {}).get('testTimeAugmentation')
    if tta and len(inp) == 3 and spec['train']['loss'] != 'meanSquaredError':
        hooks.append(TestTimeAugmentationHook(tta))
    return hooks

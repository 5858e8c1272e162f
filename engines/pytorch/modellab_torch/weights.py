"""The weights files of docs/engines.md: weights.json lists each weight (layer id, Keras name,
Keras shape, offset and length in float32 elements) of weights.bin, little-endian float32 in the
Keras layout. Loading checks that every weight of the net is there with its shape."""
from array import array
import ctypes
import json
import os
import sys

import torch


def bin_path(json_path):
    base = json_path[:-5] if json_path.endswith('.json') else json_path
    return base + '.bin'


def _to_le_bytes(t):
    """The float32 values of t as little-endian bytes, copied straight from its memory (a list of
    Python floats would take 0.2 s per million weights)."""
    x = t.detach().to('cpu', torch.float32).contiguous()
    raw = ctypes.string_at(x.data_ptr(), x.numel() * 4) if x.numel() else b''
    if sys.byteorder != 'little':
        values = array('f')
        values.frombytes(raw)
        values.byteswap()
        raw = values.tobytes()
    return raw


def _from_le_bytes(raw):
    if sys.byteorder != 'little':
        values = array('f')
        values.frombytes(raw)
        values.byteswap()
        raw = values.tobytes()
    return torch.frombuffer(bytearray(raw), dtype=torch.float32) if raw else torch.zeros(0)


def save(net, json_path):
    entries, chunks, offset = [], [], 0
    for layer_id, name, t, to_keras, _ in net.keras_weights():
        k = to_keras(t.detach())
        n = k.numel()
        entries.append({'layer': layer_id, 'name': name, 'shape': list(k.shape), 'offset': offset, 'length': n})
        chunks.append(_to_le_bytes(k))
        offset += n
    with open(bin_path(json_path), 'wb') as f:
        for c in chunks:
            f.write(c)
    with open(json_path, 'w', encoding='utf-8') as f:
        json.dump({'weights': entries}, f)


def read(json_path):
    """{(layer, name): float32 tensor in the Keras shape} from a weights file pair."""
    with open(json_path, encoding='utf-8') as f:
        listing = json.load(f)
    with open(bin_path(json_path), 'rb') as f:
        raw = f.read()
    out = {}
    for e in listing['weights']:
        start, n = int(e['offset']) * 4, int(e['length'])
        if start + 4 * n > len(raw):
            raise ValueError(f"{json_path}: {e['layer']}/{e['name']} lies beyond the end of {os.path.basename(bin_path(json_path))}.")
        out[(e['layer'], e['name'])] = _from_le_bytes(raw[start:start + 4 * n]).reshape(e['shape'])
    return out


def load(net, json_path):
    stored = read(json_path)
    missing = []
    with torch.no_grad():
        for layer_id, name, t, to_keras, from_keras in net.keras_weights():
            v = stored.get((layer_id, name))
            if v is None:
                missing.append(f'{layer_id}/{name}')
                continue
            want = list(to_keras(t).shape)
            if list(v.shape) != want:
                raise ValueError(f'{json_path}: {layer_id}/{name} has shape {list(v.shape)}; the model needs {want}.')
            t.copy_(from_keras(v).to(t.device))
    if missing:
        raise ValueError(f"{json_path} lacks {', '.join(missing)}.")

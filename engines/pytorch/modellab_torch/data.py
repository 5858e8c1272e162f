"""The arrays the host hands over (docs/engines.md, "Data"): data.json + data.bin.

data.json names each split's examples, per-example shapes (channels-last, as in the model file) and
where its x and y lie in data.bin (offsets and lengths in float32 elements); data.bin is
little-endian float32. The host has already loaded, split, standardised and encoded everything, so
this module only checks that the description is consistent and makes torch tensors of it.
"""
import json
import os
import sys
from array import array
from dataclasses import dataclass
from typing import List, Optional

import torch


class DataFileError(Exception):
    """A data.json / data.bin pair that cannot be read as the contract describes; the message says why."""


@dataclass
class Split:
    x: torch.Tensor  # [n, *x_shape], float32
    y: torch.Tensor  # [n, *y_shape], float32 (one-hot labels or targets)

    @property
    def n(self) -> int:
        return int(self.x.shape[0])


@dataclass
class RunData:
    task: str  # 'classification' | 'regression'
    classes: int
    train: Split
    val: Optional[Split]


def _count(shape: List[int]) -> int:
    total = 1
    for d in shape:
        total *= d
    return total


def _read_floats(bin_path: str) -> torch.Tensor:
    size = os.path.getsize(bin_path)
    if size % 4:
        raise DataFileError(f'{os.path.basename(bin_path)} is {size} bytes, not a whole number of float32 values.')
    values = array('f')
    with open(bin_path, 'rb') as f:
        values.frombytes(f.read())
    if sys.byteorder == 'big':
        values.byteswap()  # the file is little-endian
    return torch.frombuffer(values, dtype=torch.float32) if len(values) else torch.zeros(0)


def _is_shape(v) -> bool:
    return isinstance(v, list) and all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in v)


def _slice(floats: torch.Tensor, where, n: int, shape: List[int], what: str) -> torch.Tensor:
    if not (isinstance(where, list) and len(where) == 2 and all(isinstance(v, int) and v >= 0 for v in where)):
        raise DataFileError(f'{what} must be [offset, length] in float32 elements.')
    offset, length = where
    if length != n * _count(shape):
        raise DataFileError(f'{what} holds {length} values, but {n} examples of shape {shape} need {n * _count(shape)}.')
    if offset + length > floats.numel():
        raise DataFileError(f'{what} ends at value {offset + length}, past the end of data.bin ({floats.numel()} values).')
    return floats[offset:offset + length].reshape([n, *shape])


def _split(floats: torch.Tensor, desc, name: str) -> Split:
    if not isinstance(desc, dict):
        raise DataFileError(f'data.json: "{name}" must be an object.')
    n = desc.get('n')
    if not (isinstance(n, int) and not isinstance(n, bool) and n >= 0):
        raise DataFileError(f'data.json: {name}.n must be a whole number of examples.')
    for key in ('xShape', 'yShape'):
        if not _is_shape(desc.get(key)):
            raise DataFileError(f'data.json: {name}.{key} must be a list of positive whole numbers.')
    x = _slice(floats, desc.get('x'), n, desc['xShape'], f'data.json: {name}.x')
    y = _slice(floats, desc.get('y'), n, desc['yShape'], f'data.json: {name}.y')
    return Split(x, y)


def load(json_path: str) -> RunData:
    """Reads data.json and the data.bin beside it."""
    try:
        with open(json_path, encoding='utf-8') as f:
            meta = json.load(f)
    except OSError as e:
        raise DataFileError(f'Cannot read the data file {json_path}: {e.strerror}.') from e
    except ValueError as e:
        raise DataFileError(f'The data file {json_path} is not JSON: {e}.') from e
    if not isinstance(meta, dict):
        raise DataFileError('data.json must hold an object.')
    task = meta.get('task')
    if task not in ('classification', 'regression'):
        raise DataFileError('data.json: "task" must be "classification" or "regression".')
    classes = meta.get('classes', 0)
    if not isinstance(classes, int):
        raise DataFileError('data.json: "classes" must be a whole number.')
    bin_path = os.path.join(os.path.dirname(json_path), 'data.bin')
    try:
        floats = _read_floats(bin_path)
    except OSError as e:
        raise DataFileError(f'Cannot read {bin_path}: {e.strerror}.') from e
    train = _split(floats, meta.get('train'), 'train')
    if train.n == 0:
        raise DataFileError('data.json: the training split has no examples.')
    val = _split(floats, meta['val'], 'val') if meta.get('val') is not None else None
    if val is not None and val.n == 0:
        val = None
    if val is not None and (val.x.shape[1:] != train.x.shape[1:] or val.y.shape[1:] != train.y.shape[1:]):
        raise DataFileError('data.json: the validation split\'s shapes differ from the training split\'s.')
    return RunData(task, classes, train, val)


def write(dir_path: str, task: str, classes: int, train: Split, val: Optional[Split]) -> str:
    """Writes a data.json + data.bin pair (tests and the bench; the host writes its own in TypeScript)."""
    values = array('f')
    meta = {'task': task, 'classes': classes}
    for name, split in (('train', train), ('val', val)):
        if split is None:
            continue
        entry = {'n': split.n, 'xShape': list(split.x.shape[1:]), 'yShape': list(split.y.shape[1:])}
        for key, t in (('x', split.x), ('y', split.y)):
            flat = t.detach().to(torch.float32).reshape(-1).tolist()
            entry[key] = [len(values), len(flat)]
            values.extend(flat)
        meta[name] = entry
    if sys.byteorder == 'big':
        values.byteswap()
    with open(os.path.join(dir_path, 'data.bin'), 'wb') as f:
        f.write(values.tobytes())
    json_path = os.path.join(dir_path, 'data.json')
    with open(json_path, 'w', encoding='utf-8') as f:
        json.dump(meta, f)
    return json_path

"""Errors that end a run, as one message a user can act on (the traceback goes to stderr)."""
import re

OUT_OF_MEMORY = re.compile(r"out of memory|can't allocate memory|DefaultCPUAllocator|Cannot allocate memory", re.I)
CUDA = re.compile(r'CUDA error|CUDNN_STATUS|cuDNN error|NCCL error|device-side assert', re.I)
PEER = re.compile(r'Connection closed by peer|Connection reset by peer|Broken pipe|Timed out|timeout|ProcessGroup|gloo', re.I)


def explain(e: BaseException, distributed: bool = False) -> str:
    if isinstance(e, KeyError):
        # The host validated the spec: a missing key means host and runner come from different versions.
        return f'The model spec the host sent has no {e.args[0]!r}: is the Model Lab runner from the same version as the extension?'
    lines = str(e).strip().splitlines()
    text = lines[0] if lines else type(e).__name__
    if isinstance(e, MemoryError) or OUT_OF_MEMORY.search(text):
        return f'Training ran out of memory ({text}). Use a smaller batch size, or fewer units or filters.'
    if CUDA.search(text):
        return f'The GPU failed: {text}. Try device: cpu to see whether the model itself is at fault.'
    if distributed and PEER.search(text):
        return f'Another training process of this run stopped or failed, so this one stopped too ({text}).'
    return text

"""Errors that end a run, as one message a user can act on (the traceback goes to stderr)."""
import re

OUT_OF_MEMORY = re.compile(r"out of memory|can't allocate memory|DefaultCPUAllocator|MemoryError|Cannot allocate memory", re.I)
CUDA = re.compile(r'CUDA error|CUDNN_STATUS|cuDNN error|NCCL error|device-side assert', re.I)


def explain(e: BaseException, total_params: int = 0) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    if isinstance(e, MemoryError) or OUT_OF_MEMORY.search(text):
        size = f' The model has {total_params:,} parameters ({total_params * 4 / 2**30:.1f} GB of float32 weights); training keeps several copies (gradients, optimizer state).' if total_params else ''
        return f'Training ran out of memory ({text}).{size} Use a smaller batch size, fewer units or filters.'
    if CUDA.search(text):
        return f'The GPU failed: {text}. Try again with device: cpu to see whether the model itself is at fault.'
    return text

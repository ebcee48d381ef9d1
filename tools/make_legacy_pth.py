"""Writes fixtures/legacy-pth/: small checkpoints in the legacy (pre-1.6, non-zip) torch.save
format, as the Inf-Net authors' GPU training saved theirs (../shared/spec/infnet-model.md,
section 6), made by torch itself:

    python3 -m venv /tmp/v && /tmp/v/bin/pip install torch && /tmp/v/bin/python tools/make_legacy_pth.py fixtures/legacy-pth

- legacy-cpu.pth: torch.save(state_dict, f, _use_new_zipfile_serialization=False) of an
  OrderedDict (with torch's `_metadata`) holding float32 weights, an int64 num_batches_tracked
  scalar, a transposed (non-contiguous) view, two views of one shared storage at offsets, a
  float16 tensor and a `module.`-prefixed key (DataParallel);
- legacy-cuda.pth: the same bytes with every storage class renamed torch.cuda.* and every
  location 'cpu' renamed 'cuda:1' in the pickle (what a checkpoint saved from the second GPU
  holds; this machine has no GPU, and only these two pickle strings differ);
- expected.json: every key's shape and values, as torch reads them back (lists of numbers).

Nothing of segeval is used; the test reads these files with segeval and compares.
"""
import collections
import json
import os
import sys

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

shared = torch.arange(10, dtype=torch.float32) * 0.25 - 1.0
state = collections.OrderedDict()
state["resnet.conv1.0.weight"] = (torch.arange(6, dtype=torch.float32).reshape(2, 3, 1, 1) * 0.5 - 1.0)
state["resnet.bn1.weight"] = torch.tensor([1.5, -0.75], dtype=torch.float32)
state["resnet.bn1.num_batches_tracked"] = torch.tensor(7, dtype=torch.int64)
state["transposed"] = torch.arange(6, dtype=torch.float32).reshape(2, 3).t()      # strides (1, 3)
state["view.a"] = shared[2:5]                                                        # offset 2
state["view.b"] = shared[5:]                                                         # offset 5, same storage
state["half"] = torch.tensor([0.5, -2.0, 65504.0], dtype=torch.float16)
state["module.head.bias"] = torch.tensor([0.125], dtype=torch.float32)
state._metadata = collections.OrderedDict([("", {"version": 1}), ("resnet", {"version": 1})])

cpu = os.path.join(out, "legacy-cpu.pth")
torch.save(state, cpu, _use_new_zipfile_serialization=False)
data = open(cpu, "rb").read()
assert data.startswith(b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e"), "not the legacy magic number"
cuda = data
for storage in (b"FloatStorage", b"LongStorage", b"HalfStorage"):
    cuda = cuda.replace(b"ctorch\n" + storage + b"\n", b"ctorch.cuda\n" + storage + b"\n")
cuda = cuda.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:1")
assert cuda.count(b"cuda:1") >= 1 and cuda.count(b"torch.cuda") >= 3
open(os.path.join(out, "legacy-cuda.pth"), "wb").write(cuda)

def layout(blob):
    """Where the storages' data begin and the storage keys, read with pickle's own reader
    (persistent ids answered by a stub; nothing of the file is executed beyond building tuples)."""
    import io
    import pickle

    storages = {}

    class Reader(pickle.Unpickler):
        def persistent_load(self, pid):
            storages[pid[2]] = (pid[4], pid[1])   # key -> (element count, storage class name)
            return None

        def find_class(self, module, name):
            if name.endswith("Storage"):
                return name

            class Stub(dict):  # stands for OrderedDict and _rebuild_tensor_v2 alike
                def __init__(self, *args, **kwargs):
                    pass
            return Stub

    f = io.BytesIO(blob)
    for _ in range(4):
        Reader(f).load()
    keys = Reader(f).load()
    sizes = {"FloatStorage": 4, "LongStorage": 8, "HalfStorage": 2}
    offset, records = f.tell(), []
    for key in keys:
        count, kind = storages[key]
        records.append({"key": key, "count_offset": offset, "count": count, "element_bytes": sizes[kind]})
        offset += 8 + count * sizes[kind]
    assert offset == len(blob)
    return {"data_offset": f.tell(), "storages": records}


loaded = torch.load(cpu, weights_only=True)
expected = {key: {"shape": list(value.shape), "values": [float(v) for v in value.flatten().tolist()]}
            for key, value in loaded.items()}
json.dump({"torch": torch.__version__, "tensors": expected,
           "layout": {"legacy-cpu.pth": layout(data), "legacy-cuda.pth": layout(cuda)}},
          open(os.path.join(out, "expected.json"), "w"), indent=1)
print("wrote", sorted(os.listdir(out)), len(data), "bytes")

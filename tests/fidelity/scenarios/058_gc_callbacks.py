# scenario: gc.callbacks receive start/stop phases with collection info
# covers: callback info dict (generation, collected, uncollectable) for explicit collections
import gc

records = []


def cb(phase, info):
    records.append((phase, info["generation"], info["collected"], info["uncollectable"]))


class Node:
    def __init__(self):
        self.ref = self


gc.collect()
gc.callbacks.append(cb)
gc.collect()
print(records)
records.clear()
n = Node()
del n
gc.collect(1)
print(records)
records.clear()
for i in range(3):
    n = Node()
del n
gc.collect()
print(records)
gc.callbacks.remove(cb)
records.clear()
gc.collect()
print("after remove", records, len(gc.callbacks))

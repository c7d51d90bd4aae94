# scenario: automatic collections triggered by the generation-0 threshold
# covers: get_threshold/set_threshold; number of gen0/gen1 collections while allocating containers
import gc

print("default threshold", gc.get_threshold())
counts = [0, 0, 0]


def cb(phase, info):
    if phase == "start":
        counts[info["generation"]] += 1


gc.collect()
gc.set_threshold(100, 5, 5)
print("new threshold", gc.get_threshold())
gc.callbacks.append(cb)
keep = []
for i in range(2000):
    keep.append([i])
gc.callbacks.remove(cb)
print("collections by generation", counts)
gc.set_threshold(700, 10, 10)
counts = [0, 0, 0]
gc.collect()
gc.callbacks.append(cb)
more = [[i] for i in range(2000)]
gc.callbacks.remove(cb)
print("with default-like threshold", counts)
gc.set_threshold(0)
print("disabled by threshold 0", gc.get_threshold()[0])

# scenario: the 25% rule holds back automatic collections of generation 2
# covers: gc_collect_generations picks the oldest generation over its threshold, but skips generation 2 while fewer objects were promoted than a quarter of what it held
import gc

starts = []


def watch(phase, info):
    if phase == "start":
        starts.append(info["generation"])


gc.collect()
gc.set_threshold(10, 2, 2)
gc.callbacks.append(watch)
keep = []
for i in range(300):
    keep.append([i])
gc.callbacks.remove(watch)
gc.set_threshold(700, 10, 10)
print("automatic collections", len(starts), starts.count(0), starts.count(1))
print("generation 0", starts.count(0) > 0, "generation 1", starts.count(1) > 0)
print("generation 2 held back", starts.count(2))
print("count of generation 2 over its threshold", gc.get_count()[2] > 2)
gc.collect()
print("explicit gc.collect() still collects generation 2", gc.get_count())

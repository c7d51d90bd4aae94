# scenario: when an automatic collection runs: inside the allocation (3.8-3.11) or at the next eval-breaker check (3.12+)
# covers: _PyObject_GC_Link's count over the threshold; gc_collect_generations run at once, or _Py_ScheduleGC then _Py_RunGC
import gc

seen = []
keep = []


def watch(phase, info):
    if phase == "start":
        seen.append((len(keep), info["generation"]))


gc.collect()
gc.set_threshold(5)
gc.callbacks.append(watch)
for i in range(12):
    keep.append([i])
gc.callbacks.remove(watch)
gc.set_threshold(700, 10, 10)
print("collections seen at list lengths", seen)
del keep[:]
gc.collect()
gc.set_threshold(4)
made = []


def make(j):
    made.append(j)
    return {"j": [j]}


gc.callbacks.append(lambda phase, info: phase == "start" and seen.append((len(made), -1)))
rows = [make(j) for j in range(9)]
gc.callbacks.pop()
gc.set_threshold(700, 10, 10)
print("inside calls in a comprehension", seen[2:])

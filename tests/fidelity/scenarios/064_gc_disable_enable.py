# scenario: cycles accumulate while gc is disabled and are freed on an explicit collect
# covers: gc.disable() stops automatic collection but not gc.collect(); gc.enable()
import gc
import weakref


class Node:
    def __init__(self):
        self.me = self


gc.collect()
gc.disable()
refs = []
for i in range(3000):
    n = Node()
    refs.append(weakref.ref(n))
del n
alive = sum(1 for r in refs if r() is not None)
print("alive while disabled", alive)
print("count above threshold", gc.get_count()[0] > gc.get_threshold()[0])
print("collected", gc.collect())
print("alive after collect", sum(1 for r in refs if r() is not None))
gc.enable()
refs = []
for i in range(3000):
    n = Node()
    refs.append(weakref.ref(n))
del n
alive = sum(1 for r in refs if r() is not None)
print("some freed automatically", alive < 3000)
gc.collect()
print("all freed", sum(1 for r in refs if r() is not None))

# scenario: gc.get_count() steps as objects come from and go back to free lists
# covers: +1 for each GC allocation, -1 for each GC free while the count is above 0, nothing for a float or str, tuples and lists reused from free lists still counted
import gc


def step(label, before):
    print(label, gc.get_count()[0] - before)


gc.collect()
base = gc.get_count()[0]
x = [1, 2, 3]
step("one list", base)
base = gc.get_count()[0]
y = 1.5
z = "text" * 3
step("a float and a str", base)
base = gc.get_count()[0]
del x
step("list freed", base)
base = gc.get_count()[0]
x = [4]
step("list from the free list", base)
base = gc.get_count()[0]
t = tuple(x)
d = {"a": x}
step("tuple and dict", base)
base = gc.get_count()[0]
del t, d
step("tuple and dict freed", base)
gc.collect()
step("after a collection", 0)
del x
step("a free at count 0", 0)

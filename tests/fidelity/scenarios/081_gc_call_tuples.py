# scenario: gc.get_count() steps of calls right after a full collection, which empties the free lists
# covers: argument tuples of tp_call and METH_VARARGS built-ins per version, print's tuples, bound methods looked up by C code, constant tuples, "%s" % (x,) compiled as an f-string on 3.11+
import gc


class O:
    pass


o = O()
o.x = 1
items = [3, 1, 2]
text = "ab cd"
gc.disable()
results = []


def step(label, f):
    gc.collect()
    before = gc.get_count()[0]
    f()
    after = gc.get_count()[0]
    results.append((label, after - before))


step("range", lambda: range(5))
step("list", lambda: list(items))
step("int", lambda: int("7"))
step("str", lambda: str(5))
step("float", lambda: float("1.5"))
step("bytes", lambda: bytes(3))
step("min", lambda: min(items))
step("sorted", lambda: sorted(items))
step("round", lambda: round(2.5))
step("enumerate", lambda: enumerate(items))
step("zip", lambda: zip(items, items))
step("reversed", lambda: reversed(items))
step("vars", lambda: vars(o))
step("find", lambda: text.find("c"))
step("format", lambda: "{}".format(1))
step("percent", lambda: "%s" % (text,))
step("constant tuple", lambda: (1, 2))
step("frozenset", lambda: frozenset())
step("print", lambda: print("x"))
step("print two", lambda: print(1, 2))
step("print end", lambda: print("y", end="\n"))
gc.enable()
for label, n in results:
    print(label, n)
# dict_merge tracks the new dict when an item may be tracked.
holder = {"a": []}
print("dict() of a dict holding a list is tracked", gc.is_tracked(dict(holder)))
print("dict() of a dict of ints is tracked", gc.is_tracked(dict({"a": 1})))
merged = {}
merged.update(holder)
print("update() into an empty dict is tracked", gc.is_tracked(merged))

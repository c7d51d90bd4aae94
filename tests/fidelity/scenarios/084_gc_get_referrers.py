# scenario: gc.get_referrers() finds the containers that refer to an object
# covers: referrers in generation order, lists, dicts, tuples, sets of tuples, instances and their dicts, closures' cells, the result and argument tuple skipped
import gc


class Box:
    def __init__(self, item):
        self.item = item


def names(objs):
    return [type(o).__name__ for o in objs]


def demo():
    x = [0]
    holder = [x]
    d = {"k": x}
    t = (x, 1)
    box = Box(x)
    print("referrers of x", names(gc.get_referrers(x)))
    print("referrers of holder", names(gc.get_referrers(holder)))
    gc.collect(0)
    late = [x, x]
    print("after collect(0)", names(gc.get_referrers(x)))
    print("two objects at once", len(gc.get_referrers(x, holder)))
    del holder[:]
    del d["k"]
    print("after removing two", names(gc.get_referrers(x)))

    def inner():
        return x

    print("with a closure", names(gc.get_referrers(x)))
    return inner


gc.collect()
f = demo()
print("cell referrers", names(gc.get_referrers(f.__closure__[0])))

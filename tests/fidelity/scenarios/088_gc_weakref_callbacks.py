# scenario: weakref callbacks during a collection
# covers: handle_weakrefs clears every weakref to garbage first, then calls the callbacks of weakrefs that are not garbage themselves; weakrefs inside the garbage never call back
import gc
import weakref

log = []


class Obj:
    pass


def report(tag):
    def callback(ref):
        log.append((tag, ref() is None))
    return callback


gc.collect()
a = Obj()
b = Obj()
a.other = b
b.other = a
r1 = weakref.ref(a, report("r1"))
r2 = weakref.ref(b, report("r2"))
r3 = weakref.ref(a)
a.self_ref = weakref.ref(a, report("inside"))
del a, b
print("before collect", log)
n = gc.collect()
print("collected", n)
print("callbacks", log)
print("dead refs", r1() is None, r2() is None, r3() is None)
c = Obj()
c.me = c
wr = weakref.ref(c, report("wr"))
del c
del wr
print("weakref dropped before the collection", gc.collect(), len(log))

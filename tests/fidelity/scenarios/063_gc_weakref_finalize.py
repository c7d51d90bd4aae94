# scenario: weakref.finalize callbacks for cyclic garbage and at interpreter exit
# covers: finalize runs once when the referent dies (via gc), .alive, explicit call, atexit run
import gc
import weakref


class Res:
    def __init__(self, name):
        self.name = name
        self.loop = self


def report(name):
    print("finalized", name)


gc.collect()
r = Res("cyc")
f = weakref.finalize(r, report, "cyc")
print("alive", f.alive)
del r
print("after del, alive", f.alive)
gc.collect()
print("after collect, alive", f.alive)
s = Res("manual")
g = weakref.finalize(s, report, "manual")
print("call returns", g())
print("second call returns", g(), g.alive)
t = Res("exit")
h = weakref.finalize(t, report, "exit")
print("atexit flag", h.atexit)
print("end of program")

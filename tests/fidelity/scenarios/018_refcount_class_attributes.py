# scenario: reference counts held by classes, instances and attributes
# covers: class dict holds attribute values; each instance references its heap type; instance attrs
import sys

shared = []


class A:
    attr = shared

    def __init__(self, v):
        self.v = v


print("class attr", sys.getrefcount(shared))
base = sys.getrefcount(A)
insts = [A(shared) for i in range(10)]
print("type refs per instance", sys.getrefcount(A) - base)
print("instance attrs", sys.getrefcount(shared))
insts[0].v = None
print("one attr cleared", sys.getrefcount(shared))
del insts[:5]
print("five freed", sys.getrefcount(shared), sys.getrefcount(A) - base)
A.attr = None
print("class attr replaced", sys.getrefcount(shared))
o = insts[0]
print("instance", sys.getrefcount(o))
m = o.__init__
print("bound method holds self", sys.getrefcount(o))
del m
print("released", sys.getrefcount(o))
del insts, o
print("all freed", sys.getrefcount(A) - base, sys.getrefcount(shared))

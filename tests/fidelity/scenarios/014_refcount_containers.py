# scenario: reference counts from list, tuple, dict and set membership
# covers: containers own one reference per slot; dict key and value; removal releases it
import sys

o = object()
print("start", sys.getrefcount(o))
lst = [o, o, o]
print("in list x3", sys.getrefcount(o))
tup = (o, lst)
print("in tuple", sys.getrefcount(o))
d = {1: o, 2: o}
print("dict values", sys.getrefcount(o))
d[o] = "key"
print("dict key", sys.getrefcount(o))
st = {o}
st.add(o)
print("set (once)", sys.getrefcount(o))
lst.pop()
print("list pop", sys.getrefcount(o))
lst.clear()
print("list clear", sys.getrefcount(o))
del d[o]
print("del key", sys.getrefcount(o))
d.clear()
st.discard(o)
print("dict+set cleared", sys.getrefcount(o))
del tup
print("tuple gone", sys.getrefcount(o))
print("list refs", sys.getrefcount(lst))
nested = [[lst], [lst]]
print("nested", sys.getrefcount(lst))
nested[0] = None
print("one gone", sys.getrefcount(lst))

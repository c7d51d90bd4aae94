# scenario: float objects reuse the memory of the float freed just before
# covers: float free list (LIFO): a freed float's block is handed to the next float created
x = float("1.25")
y = float("3.0")

a = x * y
ida = id(a)
del a
b = x + y
print("reuse after del", id(b) == ida)

c = x - y
idc = id(c)
d = x / y
print("both alive differ", id(c) != id(d))
del c
e = y * y
print("latest freed reused", id(e) == idc)

floats = [x * i for i in range(5)]
ids = [id(f) for f in floats]
last_id = ids[-1]
floats.pop()
g = x * 100
print("popped float reused", id(g) == last_id)
floats = None
h = [y * i for i in range(4)]
print("values", h, g, b)

# scenario: which equal constants are one object: the compiler merges them across the file
# covers: co_consts merged per compilation unit (merge_consts_recursive), constant folding, tuples of constants; fresh objects at run time
x = 1000
y = 1000 + 0
neg = -1000
big = 2 ** 70
t = (1000, "q", (1, 2))


def f():
    return 1000


def g():
    return (1000, "q", (1, 2))


lam = lambda: -1000
print("across code objects", f() is x, g() is t, g()[0] is x, lam() is neg)
b2 = 1180591620717411303424 + 0
pair = (1, 2) + ()
print("folded", y is x, big is b2, t[2] is pair)
print("run time", int("1000") is x, x + 0 is x, -x is neg, [1000][0] is x)
s = "not an identifier!"


def h():
    return "not an identifier!"


joined = "not an " + "identifier!"
print("strings", h() is s, s is joined, s[:] is s)
z = 0.0
w = -0.0
zz = 0.0 + 0.0
half = 1.5
q = 3 / 2
print("floats", z is zz, w is z, half is q)

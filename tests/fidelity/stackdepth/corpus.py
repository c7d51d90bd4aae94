# Codes whose co_stacksize the model computes: tests/fidelity_stackdepth.rs
# compares each with compile() in every interpreter. Nothing here runs.


def empty():
    pass


def returns_const():
    return 1


def returns_name(a):
    return a


def arithmetic(a, b, c):
    x = a + b * c - (a - b) * (c + a * (b - c))
    return x


def calls(a, b):
    print(a, b, len(a))
    f(g(h(a, b), b), a)
    return max(a, b, key=len)


def method_calls(xs, y):
    xs.append(y)
    xs.insert(0, y)
    xs.sort(key=len, reverse=True)
    return "-".join(xs).upper()


def attributes(o, v):
    o.a = v
    o.b.c = o.a + v
    o.n += 1
    del o.a
    return o.b.c


def subscripts(d, k, v):
    d[k] = v
    d[k] += v * 2
    x = d[k][0]
    y = d[1:2]
    z = d[::2]
    w = d[k:v:2]
    del d[k]
    return x, y, z, w


def unpacking(t):
    a, b = t
    (c, d), e = t
    f, *g = t
    a = b = c = d
    return a, b, c, d, e, f, g


def booleans(a, b, c):
    x = a and b
    y = a or b or c
    z = not a
    w = a if b else c
    return x, y, z, w


def comparisons(a, b, c, d):
    x = a < b
    y = a < b < c
    z = a < b <= c < d
    return x, y, z


def branches(a, b):
    if a and b:
        return 1
    elif a or not b:
        return 2
    elif a < b < 3:
        return 3
    else:
        return 4


def loops(xs):
    total = 0
    for x in xs:
        for y in xs:
            if x == y:
                continue
            total += x * y
    while total > 100:
        total -= 7
    else:
        total = -total
    return total


def return_in_loops(xs):
    for x in xs:
        for y in x:
            return y + x[0]
    return None


def displays(a, b):
    l1 = [a, b]
    l2 = [1, 2, 3]
    l3 = [a, [b, [a, b]], (a, b)]
    t = (1, 2, a)
    d1 = {}
    d2 = {"a": a, "b": b, "c": 3}
    d3 = {a: b, b: a}
    d4 = {"only": a}
    return l1, l2, l3, t, d1, d2, d3, d4


def fstrings(a, b):
    s1 = f"{a}"
    s2 = f"x{a}y{b}z"
    s3 = f"{a:>10}{b!r}{a:{b}}"
    return s1 + s2 + s3


def lambdas(xs):
    f = lambda: 0
    g = lambda x, y=1: x + y * 2
    return sorted(xs, key=lambda v: (v[0], -v[1]))


def uses_genexpr(xs):
    return sum(x * x for x in xs if x % 2)


def uses_comps(xs, n):
    return (x + n for x in xs for y in range(n) if x < y)


def raises(x):
    if x:
        raise ValueError("bad " + str(x))


def generator_simple():
    yield 1


def generator_loop(n):
    big = [0] * 1000
    while n > 0:
        yield n
        n -= 1
    big = None
    yield -1


def generator_for(xs, k):
    for i, x in enumerate(xs):
        if x % k == 0:
            yield i, x * k
    yield None


def generator_send():
    total = 0
    while True:
        x = yield total
        total += x


def generator_nested(rows):
    for row in rows:
        for cell in row:
            yield str(cell).strip().lower()


gen_plain = (x for x in range(10))
gen_expr = (x * x for x in range(10))
gen_call = (str(x) for x in range(10))
gen_method = (s.upper() for s in "abc")
gen_filter = (x for x in range(10) if x % 3 == 0)
gen_nested = (x * y for x in range(3) for y in range(x))
gen_tuple = ((x, x + 1) for x in range(3))
gen_of_gen = (y * 2 for y in (x for x in range(4)))
gen_cond = (x if x > 2 else -x for x in range(5))
gen_bool = (x and y for x, y in [(1, 2)])
gen_chain = (a < b < c for a, b, c in [(1, 2, 3)])
gen_fmt = (f"{x:>4}|{x!r}" for x in range(3))
gen_kw = (sorted(x, reverse=True) for x in ["ab"])
gen_dict = ({"k": x, "v": x} for x in range(2))
gen_slice = (s[1:] for s in ["abc"])
gen_lambda = (lambda: x for x in range(2))
squares = [x * x for x in range(6)]
table = {k: k * 2 for k in range(4)}
pairs = [(a, b) for a in range(3) for b in range(a) if a != b]


def percent_formats(a, b):
    # 3.11+ compiles the first two as f-strings (optimize_format).
    x = "%s|%5r|%.2a" % (a, b, a)
    y = "%s%%" % (a,)
    z = "%d %s" % (a, b)
    return x, y, z, "%123s" % (a,), "%s" % (1, 2)

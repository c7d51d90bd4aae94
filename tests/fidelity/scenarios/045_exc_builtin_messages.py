# scenario: messages of common built-in exceptions caught and printed
# covers: exception type names and str() text, which changes between versions
def show(fn):
    try:
        fn()
        print("no error")
    except Exception as e:
        print(type(e).__name__ + ":", str(e))


data = [1, 2, 3]
mapping = {"a": 1}
show(lambda: data[10])
show(lambda: mapping["missing"])
show(lambda: mapping[5])
show(lambda: 1 / 0)
show(lambda: 1 // 0)
show(lambda: 1 % 0)
show(lambda: 1.0 / 0)
show(lambda: int("abc"))
show(lambda: float("x1"))
show(lambda: "a" + 1)
show(lambda: 1 + "a")
show(lambda: [] + ())
show(lambda: undefined_name)
show(lambda: data.nope)
show(lambda: None.attr)
show(lambda: len(5))
show(lambda: next(iter([])))
show(lambda: [].pop())
show(lambda: {}.popitem())
show(lambda: data.index(99))
show(lambda: "abc".index("z"))
show(lambda: (1, 2)[5])
show(lambda: "abc"[7])
show(lambda: chr(-1))
show(lambda: 2 ** 10000 * 1.0)
show(lambda: hash([]))
show(lambda: set().pop())
show(lambda: divmod(1, 0))
show(lambda: int("5") < "x")

# scenario: binding arguments to parameters: keywords, *args, **kwargs, keyword-only, and the TypeErrors
# covers: _PyEval_EvalCode / initialize_locals messages, the *args tuple and **kwargs dict
def f(a, b=2):
    return a + b
def g(*, k):
    return k
def h(a, *rest, key, **kw):
    return (a, rest, key, sorted(kw))
def show(fn):
    try:
        print(fn())
    except TypeError as e:
        print(type(e).__name__ + ":", e)
show(lambda: f())
show(lambda: f(1, 2, 3))
show(lambda: f(1, c=3))
show(lambda: f(1, a=1))
show(lambda: g(1))
show(lambda: g())
show(lambda: g(k=5))
show(lambda: h(1, 2, 3, key=4, z=5, y=6))
show(lambda: h(1))
show(lambda: f(b=1))

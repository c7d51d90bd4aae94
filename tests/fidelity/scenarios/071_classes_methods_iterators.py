# scenario: class attributes, bound methods, __del__ order, iterator adapters and call errors
# covers: bound-method refcounts, instance dict sizes, finalizer timing in dealloc cascades, enumerate/zip result reuse
import sys


class Account:
    rate = 2

    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance

    def deposit(self, n):
        self.balance += n
        return self.balance


class Noisy:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("del", self.n)


a = Account("ann")
print(a.deposit(5), a.deposit(7), a.balance, Account.rate, a.rate)
base = sys.getrefcount(a)
m = a.deposit
print("bound method holds self", sys.getrefcount(a) - base, m(1), m == a.deposit)
del m
print("released", sys.getrefcount(a) - base)
Account.rate = 3
print(a.rate, getattr(a, "owner"), getattr(a, "missing", "dflt"), hasattr(a, "deposit"))
setattr(a, "extra", [1])
print(sorted(vars(a)), len(vars(a)))
delattr(a, "extra")
print(hasattr(a, "extra"), type(a).__name__, isinstance(a, Account), isinstance(3, Account))
n = Noisy(1)
del n
print("after del")
pair = [Noisy(2), Noisy(3)]
pair = None
print("after list")
x = Noisy(4)
x = Noisy(5)
print("after rebind")
del x
e = enumerate("ab")
t = next(e)
print(t, sys.getrefcount(t))
del t
print(next(e), list(enumerate([7, 8], 1)))
print(list(zip([1, 2, 3], "xy")), list(map(abs, [-1, 2])), list(filter(None, [0, 1, "", "z"])))
print(list(reversed([1, 2, 3])), list(reversed((4, 5))), list(reversed(range(3))))
print(sys.getsizeof(enumerate([])), sys.getsizeof(zip()), sys.getsizeof(map(abs, [])))
args = [10, 20]
nothing = None
print(Account(*args[:1]).balance, Account(**{"owner": "bo", "balance": 4}).balance)
for bad in (lambda: len(), lambda: Account(), lambda: a.deposit(), lambda: sorted([2, "x"]), lambda: nothing()):
    try:
        bad()
    except TypeError as err:
        print("TypeError", err)

# scenario: sizes of strings produced by common str methods and formatting
# covers: result strings take the narrowest kind; formatting and repr allocation sizes
import sys

s = "Memory"
print(sys.getsizeof(s), sys.getsizeof(s.lower()), sys.getsizeof(s + "\xe9"), sys.getsizeof(s + "\u0100"))
parts = "alpha,beta,gamma".split(",")
print([sys.getsizeof(p) for p in parts])
print(sys.getsizeof(f"{42:>10}"), sys.getsizeof("%05d" % 7), sys.getsizeof("{}-{}".format(1, 2)))
print(sys.getsizeof(repr(3.5)), sys.getsizeof(str(10**20)), sys.getsizeof(repr("x")))
w = "\u0101bc"
print(sys.getsizeof(w), sys.getsizeof(w[1:]), sys.getsizeof(w.replace("\u0101", "a")))
print(sys.getsizeof(" ".join([s] * 5)), sys.getsizeof(s.center(20)), sys.getsizeof(s.strip("M")))
print(sys.getsizeof(s.encode()), sys.getsizeof("\U0001f600".encode("utf-8")))
print(f"{3.14159:.2f}", f"{255:#x}", f"{1234567:,}", "%.3e" % 12345.678, "{:^7}|".format("ab"))

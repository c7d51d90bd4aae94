# scenario: interned strings, small ints, big ints and a tuple
# covers: which objects are shared by the interpreter and how big the others are (a built-in example of the web app)
import sys

word = "memory"
same = "memory"
print(word is same)
big = 10 ** 20
small = 7
print(sys.getsizeof(small), sys.getsizeof(big))
point = (1.5, 2.5)
print(sys.getsizeof(point))

# scenario: a list's item array grows in steps as it is appended to
# covers: list_resize over-allocation, visible in sys.getsizeof (a built-in example of the web app)
import sys

items = []
for i in range(10):
    items.append(i * 1000)
    print(len(items), sys.getsizeof(items))

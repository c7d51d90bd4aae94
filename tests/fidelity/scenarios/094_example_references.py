# scenario: names, a list and a dict: reference counts and sizes
# covers: an alias adds a reference, append grows the item array, del drops the alias (a built-in example of the web app)
import sys

nums = [10, 20, 30]
alias = nums
print(sys.getrefcount(nums) - 1)
nums.append(40)
table = {"nums": nums, "count": len(nums)}
del alias
print(sys.getsizeof(nums), sys.getsizeof(table))

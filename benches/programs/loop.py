# A loop-heavy program for the interpreter benchmarks (BENCHMARKS.md):
# int arithmetic past the small-int cache, a list that grows, a dict
# that is updated, and a function call per round.
def step(x):
    return x * 3 + 1

total = 0
seen = {}
items = []
i = 0
while i < 20000:
    total += step(i)
    items.append(i * 2)
    seen[i % 100] = total
    i += 1
print(total, len(items), len(seen))

# scenario: snapshot statistics grouped by line for three big allocations
# covers: take_snapshot().statistics('lineno') sizes and counts of live blocks per source line
import tracemalloc

tracemalloc.start()
blob = bytes(200000)
rows = [str(i) * 20 for i in range(3000)]
table = list(range(20000))
snap = tracemalloc.take_snapshot()
stats = snap.statistics("lineno")
for stat in stats:
    if stat.size >= 100000:
        print("line", stat.traceback[0].lineno, "size", stat.size, "count", stat.count)
del blob
snap2 = tracemalloc.take_snapshot()
big = [s for s in snap2.statistics("lineno") if s.size >= 100000]
print("after del", len(big), [(s.traceback[0].lineno, s.count) for s in big])
tracemalloc.stop()

# scenario: tracemalloc start/stop/is_tracing and what is traced across restarts
# covers: traces cleared on stop; objects allocated before start are not traced
import tracemalloc

print("tracing", tracemalloc.is_tracing())
early = [0] * 5000
tracemalloc.start()
print("tracing", tracemalloc.is_tracing())
c0 = tracemalloc.get_traced_memory()[0]
del early
c1 = tracemalloc.get_traced_memory()[0]
print("freeing untraced list changes nothing", c1 == c0)
late = [0] * 5000
c2 = tracemalloc.get_traced_memory()[0]
print("traced list", c2 - c1)
tracemalloc.stop()
print("tracing", tracemalloc.is_tracing(), tracemalloc.get_traced_memory())
tracemalloc.start()
c3 = tracemalloc.get_traced_memory()[0]
del late
c4 = tracemalloc.get_traced_memory()[0]
print("restart forgets old traces", c3 == c4)
again = [0] * 5000
snap = tracemalloc.take_snapshot()
sizes = sorted([st.size for st in snap.statistics("lineno") if st.size > 20000])
print("snapshot sizes", sizes)
tracemalloc.stop()

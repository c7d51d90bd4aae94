# scenario: gc.get_count() after collection and as containers are created and freed
# covers: generation-0 counter counts tracked allocations minus deallocations
import gc

gc.disable()
gc.collect()
c0 = gc.get_count()
keep = [[] for i in range(100)]
c1 = gc.get_count()
print("after 100 lists", c1[0] - c0[0])
del keep
c2 = gc.get_count()
print("after freeing them", c2[0] - c0[0])
ints = [i for i in range(100)]
c3 = gc.get_count()
print("ints are not tracked", c3[0] - c2[0])
d = [{"a": i} for i in range(50)]
c4 = gc.get_count()
print("50 dicts", c4[0] - c3[0])
gc.collect()
print("after collect", gc.get_count())
gc.collect(0)
print("after gen0 collect", gc.get_count())
gc.enable()

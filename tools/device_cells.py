"""Run a notebook's cells by id, in order, in one namespace: for a lent GPU whose image lacks nbdev's dependencies.

  python tools/device_cells.py nbs/A1_training.ipynb 351a7837,eeb332c2,1ae277af,a1cuda01

ran A1's imports, its CPU resume test and its #| cuda test on the H200 on 2026-12-04 (all passed), with only the
wheels of fastcore and fastprogress carried (nbdev_test itself also needs nbformat, for show_doc's renderer).
Exits 1 at the first failing cell, with its traceback. AS_CPU=1 swaps device='cuda' for 'cpu' (a local dry run)."""
import json, sys, os, time, traceback
nb, ids = sys.argv[1], sys.argv[2].split(',')
cells = {c.get('id'): ''.join(c['source']) for c in json.load(open(nb))['cells']}
missing = [i for i in ids if i not in cells]
if missing: sys.exit(f"no cell with id {', '.join(missing)} in {nb}")
ns = {}; os.chdir(os.path.dirname(os.path.abspath(nb)))
for i in ids:
    src = cells[i]
    if os.environ.get('AS_CPU'): src = src.replace("device='cuda'", "device='cpu'").replace("'cuda')", "'cpu')")
    t = time.time()
    try: exec(compile(src, f'cell {i}', 'exec'), ns)
    except Exception: traceback.print_exc(); print(f'FAILED cell {i}'); sys.exit(1)
    print(f'passed cell {i} ({time.time() - t:.1f} s)', flush=True)
print('ALL PASSED')

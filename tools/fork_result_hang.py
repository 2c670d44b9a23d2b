"""Reproduce the deadlock that imap_runs avoids by sending results back as pickled bytes (A9_runs).

A parent runs torch on two threads, then a fork-based process pool trains in two workers, each of which returns a
generator. `plain` hands the result to the pool as it is (torch's shared-memory reduction of tensors); `pack` returns
what imap_runs' workers return, plain pickle bytes.

    PYTHONPATH=. python tools/fork_result_hang.py plain 1 30   # on an AVX-512 Xeon, 2 cores: HUNG (2 of 2 tries)
    PYTHONPATH=. python tools/fork_result_hang.py pack 3       # ok in 0.9 s, 3 of 3
"""
import sys, time, torch
from concurrent.futures import ProcessPoolExecutor, wait
from assignment3.runs import _one_thread
from assignment3.gan import Generator

def make(seed):
    torch.manual_seed(seed); x = torch.randn(512, 512)
    for _ in range(200): x = torch.tanh(x @ x)
    return Generator()

if __name__ == '__main__':
    pack, tries = sys.argv[1] == 'pack', int(sys.argv[2])
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 60
    torch.set_num_threads(2); x = torch.randn(1024, 1024)
    for _ in range(20): x = torch.tanh(x @ x)
    for i in range(tries):
        ex = ProcessPoolExecutor(2); t = time.time()
        fs = [ex.submit(_one_thread, make, dict(seed=s), pack) for s in range(2)]
        done, left = wait(fs, timeout=timeout)
        print(i, 'pack' if pack else 'plain', f'{time.time() - t:.1f} s', 'HUNG' if left else 'ok', flush=True)
        if left:
            for p in ex._processes.values(): p.kill()
            break
        ex.shutdown()

"""Seeds of 06's GAN recipes on a lent GPU, inside a fixed wall-clock budget (run from the repository root).

Each run is assignment3.bench.recipe_run + run_summary in its own process (its own CUDA context). At D1, a run
still training that is not projected to finish and be summarised (EVAL_S) before D2 gets one SIGINT (checkpoint
saved, then summarised as far as it got); at D2 whatever is left is killed. Everything is written to
$OUT/study.json; 06's seeds section stores it with save_results('06_gan', seed_study=...). (Before the projection,
six runs side by side that needed about 480 s were all stopped at epoch 97-98 of 100 by D1 = 510, on 2026-12-04.)

Settings (environment): OUT, DEVICE (cuda), D1 and D2 (seconds from the start), STUDY_NAMES (recipes of
assignment3.bench.RECIPES, in priority order), STUDY_SEEDS, S_ASSUMED (the speed-up assumed for runs side by side, to
plan what fits before D1), STUDY_EPOCHS (a dry run only). The lent H200 ran it, with MNIST carried gzipped in .dev/mnist
and the wheels of fastcore and fastprogress in .whl, as
  python3 -m pip install -q --no-index --no-deps --target /tmp/site .whl/*.whl; export PYTHONPATH=/tmp/site:$PWD
  (gunzip .dev/mnist/* into /tmp/data/MNIST/raw); ASSIGNMENT3_DATA=/tmp/data python3 tools/device_seed_study.py"""
import os, sys, time, json, signal, subprocess, platform
from pathlib import Path
T0 = time.time()
env = os.environ
OUT = Path(env.get('OUT', '/tmp/out')); OUT.mkdir(parents=True, exist_ok=True)
ROOT = Path(env.get('STUDY_ROOT', '/tmp/study')); ROOT.mkdir(parents=True, exist_ok=True)
DEVICE = env.get('DEVICE', 'cuda')
D1, D2 = float(env.get('D1', 420)), float(env.get('D2', 540))
EVAL_S = float(env.get('EVAL_S', 30))   # a run's summary after training (about 11-14 s on the H200)
EPOCHS = env.get('STUDY_EPOCHS')   # only for a local dry run
NAMES = env.get('STUDY_NAMES', 'shipped,no_r1,r1_1,r1_1_decay0,report_a,assignment').split(',')
SEEDS = [int(s) for s in env.get('STUDY_SEEDS', '0,1,2').split(',')]
S_ASSUMED = float(env.get('S_ASSUMED', 5))   # aggregate speed-up assumed for runs side by side on one GPU
res = dict(device=DEVICE, python=platform.python_version(), t0=time.strftime('%Y-%m-%d %H:%M:%S'))
def now(): return time.time() - T0
def log(*a): print(f"[{now():6.1f}s]", *a, flush=True)
def dump(): (OUT/'study.json').write_text(json.dumps(res, indent=1))

ONE = r'''
import sys, json, time, torch, traceback
from pathlib import Path
from assignment3.bench import recipe_run, run_summary
from assignment3.classifier import Classifier
name, seed, root, device, epochs = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], sys.argv[5]
kw = dict(device=device) | (dict(n_epochs=int(epochs)) if epochs != '-' else {})
t = time.time(); status = 'finished'
try: recipe_run(name, seed=seed, root=root, threads=1, **kw)
except KeyboardInterrupt: status = 'interrupted'
except Exception as e: status = f'failed: {e!r}'[:300]; traceback.print_exc()
wall = time.time() - t
import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)   # the deadline stops training, not the summary
torch.set_num_threads(1)
try: s = run_summary(root/f'{name}_s{seed}', clf=Classifier.from_pretrained().to(device))   # features on the device
except Exception as e: s = dict(error=repr(e)[:300]); traceback.print_exc()
s |= dict(status=status, wall_s=wall, eval_s=time.time() - t - wall)
(root/f'{name}_s{seed}.json').write_text(json.dumps(s))
print(name, seed, status, round(wall), 's', flush=True)
'''

def launch(name, seed, epochs='-'):
    f = open(ROOT/f'{name}_s{seed}.log', 'w')
    return subprocess.Popen([sys.executable, '-c', ONE, name, str(seed), str(ROOT), DEVICE, epochs],
                            stdout=f, stderr=subprocess.STDOUT, start_new_session=True)

try:
    import torch
    res |= dict(torch=torch.__version__, cuda=torch.cuda.is_available(),
                gpu=torch.cuda.get_device_name(0) if torch.cuda.is_available() else None, cpus=os.cpu_count())
    log(res)
    # 1. one short run alone: the path works on this device, and the step time of the shipped recipe
    smoke = launch('shipped', 99, EPOCHS or '3'); smoke.wait(timeout=240)
    s = json.loads((ROOT/'shipped_s99.json').read_text())
    log('smoke:', s.get('status'), s.get('epochs'), 'epochs', s.get('curve'), s.get('error'))
    ck = __import__('assignment3.checkpoint', fromlist=['x']).load_checkpoint(ROOT/'shipped_s99'/'checkpoint.pt')
    h = [x['seconds'] for x in ck['history']]
    t_epoch = min(b - a for a, b in zip(h, h[1:])) if len(h) > 1 else h[0]
    from assignment3.bench import RECIPES
    steps = lambda n: RECIPES[n].get('n_epochs', 200) * -(-50_000 // RECIPES[n].get('batch_size', 64))
    t_step = t_epoch / steps('shipped') * RECIPES['shipped']['n_epochs']
    res['alone'] = dict(epoch_s=t_epoch, step_ms=1e3 * t_step, shipped_run_min=t_step * steps('shipped') / 60,
                        smoke=s)
    log('alone: shipped epoch', round(t_epoch, 2), 's, step', round(1e3 * t_step, 2), 'ms'); dump()
    if s.get('status') != 'finished' or 'error' in s: raise SystemExit('smoke run failed: see log')
    # 2. the runs, in priority order, as many as the budget should carry at S_ASSUMED
    todo, cost = [], 0.0
    for n in NAMES:
        c = 3 * steps(n) * t_step / S_ASSUMED if EPOCHS is None else 0
        alone = steps(n) * t_step
        if EPOCHS is None and (now() + cost + c > D1 or alone * 1.5 > D1 - now()):
            log('skipped (over budget):', n, f'{c:.0f}s'); res.setdefault('skipped', []).append(n); continue
        todo += [(n, s_) for s_ in SEEDS]; cost += c
    res['planned'] = [f'{n}_s{s_}' for n, s_ in todo]; log('planned', res['planned']); dump()
    T_LAUNCH = now()
    procs = {f'{n}_s{s_}': launch(n, s_, EPOCHS or '-') for n, s_ in todo}
    sent = set()
    while any(p.poll() is None for p in procs.values()) and now() < D2:
        time.sleep(10)
        if now() > D1:
            for k, p in procs.items():
                n_ep = int(EPOCHS) if EPOCHS else RECIPES[k.rsplit('_s', 1)[0]].get('n_epochs', 200)
                e = len(list((ROOT/k).glob('G_epoch*.pt')))
                ends_at = T_LAUNCH + (now() - T_LAUNCH) * n_ep / max(e, 1) + EVAL_S   # projected end of run + summary
                if ends_at < D2: continue   # it will finish in time: a SIGINT would only throw its last epochs away
                if p.poll() is None and k not in sent and not (ROOT/f'{k}.json').exists():
                    try: os.killpg(p.pid, signal.SIGINT)
                    except ProcessLookupError: pass
                    sent.add(k); log('SIGINT', k)
        done = sum((ROOT/f'{k}.json').exists() for k in procs)
        epochs = {k: len(list((ROOT/k).glob('G_epoch*.pt'))) for k in procs}
        log(f'{done}/{len(procs)} summarised; epochs', epochs)
        if int(now()) % 60 < 10:
            try: log(subprocess.run(['nvidia-smi', '--query-gpu=utilization.gpu,memory.used', '--format=csv,noheader'],
                                    capture_output=True, text=True, timeout=10).stdout.strip())
            except Exception as e: log('nvidia-smi:', e)
    for k, p in procs.items():
        if p.poll() is None: os.killpg(p.pid, signal.SIGKILL); log('killed', k)
    res['runs'] = {k: json.loads((ROOT/f'{k}.json').read_text()) for k in procs if (ROOT/f'{k}.json').exists()}
    for k, r in res['runs'].items():
        log(k, r.get('status'), r.get('epochs'), 'ep', round(r.get('wall_s', 0)), 's', 'val', r.get('val'), 'test', r.get('test'))
    for s_ in SEEDS:
        g = ROOT/f'shipped_s{s_}'/'G_end.pt'
        if g.exists(): (OUT/f'shipped_s{s_}_G_end.pt').write_bytes(g.read_bytes())
except BaseException as e:
    import traceback; traceback.print_exc(); res['error'] = repr(e)[:500]
finally:
    res['wall_s'] = now(); dump()
    for f in sorted(ROOT.glob('*.log')): print(f'==== {f.name}\n' + f.read_text()[-1500:])
    log('done')

#!/usr/bin/env python3
"""igraph's reference numbers for Lantern's link analysis.

  igraph-reference.py caviar DATA_DIR          -> JSON fixture for every CAVIAR phase and the full network
  igraph-reference.py edges FILE.csv           -> JSON: betweenness of an edge list (source,target), wall and CPU time
  igraph-reference.py cutoff FILE.csv N RUNS   -> JSON: betweenness(cutoff=N) of an edge list, RUNS times, each run's wall and CPU time

Graph: undirected, unweighted, an edge wherever either direction of the matrix is non-zero,
self-loops dropped. Betweenness is normalised as 2*raw/((n-1)(n-2)). Closeness is igraph's
default (normalized=True): over the vertices reachable from a node only, (reached - 1) / sum of
distances; NaN for an isolated node (written as null).
"""
import csv
import json
import math
import sys
import time

import igraph as ig


def read_matrix(path):
    with open(path, newline='', encoding='utf-8-sig') as f:
        rows = list(csv.reader(f))
    labels = [c.strip() for c in rows[0][1:]]
    edges = set()
    for r, row in enumerate(rows[1:]):
        if row[0].strip() != labels[r]:
            raise SystemExit(f'{path}: row {r + 2} label {row[0]!r} differs from column label {labels[r]!r}')
        for c, cell in enumerate(row[1:]):
            if r != c and float(cell) != 0:
                edges.add((min(r, c), max(r, c)))
    g = ig.Graph(n=len(labels), edges=sorted(edges), directed=False)
    return labels, g


def normalised_betweenness(g, cutoff=None):
    n = g.vcount()
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return [b * scale for b in g.betweenness(directed=False, cutoff=cutoff)]


def metrics(labels, g):
    deg = g.degree()
    btw = normalised_betweenness(g)
    clo = g.closeness()
    return {
        labels[i]: {
            'degree': deg[i],
            'betweenness': btw[i],
            'closeness': None if math.isnan(clo[i]) else clo[i],
        }
        for i in range(len(labels))
    }


def caviar(data_dir):
    out = {'igraph': ig.__version__, 'networks': {}}
    names = [f'caviar-phases/phase{i}.csv' for i in range(1, 12)] + ['caviar-full.csv']
    for name in names:
        labels, g = read_matrix(f'{data_dir}/networks/{name}')
        out['networks'][name] = {
            'nodes': g.vcount(),
            'edges': g.ecount(),
            'components': len(g.connected_components()),
            'metrics': metrics(labels, g),
        }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write('\n')


def read_edges(path):
    with open(path, newline='') as f:
        rows = list(csv.reader(f))
    # The header may say how many nodes there are (isolated nodes have no row): "source,target,n=110".
    header = rows[0]
    n = int(header[2][2:]) if len(header) > 2 and header[2].startswith('n=') else 1 + max(max(int(a), int(b)) for a, b in rows[1:])
    return ig.Graph(n=n, edges=[(int(a), int(b)) for a, b in rows[1:]], directed=False).simplify()


def cutoff(path, length, runs):
    g = read_edges(path)
    seconds, cpu = [], []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        btw = normalised_betweenness(g, cutoff=length)
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    json.dump({'igraph': ig.__version__, 'seconds': seconds, 'cpu_seconds': cpu, 'betweenness': btw}, sys.stdout)


def edges(path):
    g = read_edges(path)
    start, cpu_start = time.perf_counter(), time.process_time()
    btw = normalised_betweenness(g)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    json.dump({'igraph': ig.__version__, 'seconds': seconds, 'cpu_seconds': cpu, 'betweenness': btw}, sys.stdout)


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'caviar':
        caviar(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == 'edges':
        edges(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == 'cutoff':
        cutoff(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit(__doc__)

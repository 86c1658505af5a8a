#!/usr/bin/env python3
"""igraph's reference numbers for Lantern's two-mode (bipartite) networks.

  igraph-bipartite-reference.py DATA_DIR FIXTURES_DIR

Writes FIXTURES_DIR/two-mode-generated.csv (a seeded random edge list of people and events with
its documented type columns) and prints a JSON fixture with, for the CAVIAR people-by-phase
network (a person is in a phase when they have a link in that phase's matrix) and the generated
one:

- the two-mode graph as igraph builds it (Graph.Bipartite): node and edge counts, components,
  bipartite density |E| / (|first| * |second|), and every node's degree, betweenness and closeness
  on the two-mode graph itself (igraph has no bipartite-normalised centralities: its measures on a
  bipartite graph are the ordinary ones);
- bipartite_projection_size() and both bipartite_projection(multiplicity=True) graphs: their
  density and components, each edge with its weight (the number of shared neighbours), and every
  node's degree, strength (sum of weights), betweenness and closeness.

Betweenness is normalised as 2*raw/((n-1)(n-2)) over the graph it is measured on, closeness is
igraph's default (reachable nodes only, NaN for an isolated node, written as null), as in
igraph-reference.py.
"""
import csv
import importlib.util
import json
import math
import pathlib
import random
import sys

import igraph as ig


# The one-mode reference's reading and normalisation, so both scripts read CAVIAR the same way.
_spec = importlib.util.spec_from_file_location('igraph_reference', pathlib.Path(__file__).with_name('igraph-reference.py'))
reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reference)
normalised_betweenness = reference.normalised_betweenness


def caviar_two_mode(data_dir):
    """People (in order of first appearance, phase by phase, in each file's label order) by phase."""
    people, phases, edges = [], [], []
    index = {}
    for i in range(1, 12):
        phase = f'phase{i}'
        phases.append(phase)
        labels, g = reference.read_matrix(f'{data_dir}/networks/caviar-phases/{phase}.csv')
        degree = g.degree()
        for n, label in enumerate(labels):
            if degree[n] > 0:
                if label not in index:
                    index[label] = len(people)
                    people.append(label)
                edges.append((label, phase))
    return people, phases, edges


def generated(fixtures_dir):
    """40 people and 15 events; each person at 0 to 4 events; rows written either way round."""
    rng = random.Random(17)
    people = [f'p{i}' for i in range(40)]
    events = [f'e{i}' for i in range(15)]
    edges = []
    for p in people:
        for e in rng.sample(events, rng.randint(0, 4)):
            edges.append((p, e))
    path = f'{fixtures_dir}/two-mode-generated.csv'
    with open(path, 'w', newline='') as f:
        out = csv.writer(f, lineterminator='\n')
        out.writerow(['source', 'source_type', 'target', 'target_type'])
        for p, e in edges:
            if rng.random() < 0.3:
                out.writerow([e, 'event', p, 'person'])
            else:
                out.writerow([p, 'person', e, 'event'])
    # The file's nodes: a person at no event has no row, so is not in the network.
    seen_people = [p for p in people if any(x == p for x, _ in edges)]
    seen_events = [e for e in events if any(y == e for _, y in edges)]
    return seen_people, seen_events, edges


def nan_null(x):
    return None if math.isnan(x) else x


def node_measures(g, labels, weighted=False):
    deg = g.degree()
    btw = normalised_betweenness(g)
    clo = g.closeness()
    strength = g.strength(weights='weight') if weighted else None
    out = {}
    for i, label in enumerate(labels):
        m = {'degree': deg[i], 'betweenness': btw[i], 'closeness': nan_null(clo[i])}
        if weighted:
            m['strength'] = strength[i]
        out[label] = m
    return out


def projection(g, labels):
    return {
        'nodes': g.vcount(),
        'edges': g.ecount(),
        'density': g.density(),
        'components': len(g.connected_components()),
        'weights': sorted([labels[e.source], labels[e.target], e['weight']] for e in g.es),
        'metrics': node_measures(g, labels, weighted=True),
    }


def two_mode(first, second, edges):
    labels = first + second
    index = {label: i for i, label in enumerate(labels)}
    types = [False] * len(first) + [True] * len(second)
    g = ig.Graph.Bipartite(types, [(index[a], index[b]) for a, b in edges], directed=False)
    assert g.is_bipartite()
    p1, p2 = g.bipartite_projection(multiplicity=True)
    size = g.bipartite_projection_size()
    return {
        'first': first,
        'second': second,
        'edges': [[a, b] for a, b in edges],
        'nodes': g.vcount(),
        'edge_count': g.ecount(),
        'components': len(g.connected_components()),
        'density': g.ecount() / (len(first) * len(second)),
        'metrics': node_measures(g, labels),
        'projection_size': list(size),
        'projections': [projection(p1, first), projection(p2, second)],
    }


def main(data_dir, fixtures_dir):
    out = {'igraph': ig.__version__, 'networks': {
        'caviar-phases': two_mode(*caviar_two_mode(data_dir)),
        'generated': two_mode(*generated(fixtures_dir)),
    }}
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])

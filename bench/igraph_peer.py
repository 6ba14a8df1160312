#!/usr/bin/python3
"""igraph peer of `llmml bench citations`: igraph's load + PageRank on the same text edge list, in the same run.

Run by `llmml bench citations --igraph` (and `--scale N --igraph`) as its own process, after LLMML's own process has
handled the same file. Reads a `citing cited` edge list of integer vertex ids (igraph's Read_Edgelist; the benchmark
writes dense ids 0..n-1), computes PageRank with igraph's default (PRPACK: the exact solution, damping 0.85) and prints
one JSON object on stdout: the interpreter start to the import, the load, PageRank, and the peak resident memory.
Needs Debian's python3-igraph: apt-get install python3-igraph
"""
import json
import resource
import sys
import time

started = time.perf_counter()
try:
    import igraph
except ImportError as e:  # the caller turns this into a note and skips the comparison
    print(json.dumps({"error": f"python3-igraph is missing ({e})"}))
    sys.exit(3)


def main():
    if len(sys.argv) != 2:
        print(json.dumps({"error": "usage: igraph_peer.py EDGE_LIST"}))
        return 2
    imported = time.perf_counter()
    g = igraph.Graph.Read_Edgelist(sys.argv[1], directed=True)
    loaded = time.perf_counter()
    pr = g.pagerank(directed=True, damping=0.85)
    ranked = time.perf_counter()
    top = max(range(len(pr)), key=pr.__getitem__) if pr else -1
    print(json.dumps({
        "igraph_version": igraph.__version__,
        "vertices": g.vcount(),
        "edges": g.ecount(),
        "import_seconds": imported - started,
        "load_seconds": loaded - imported,
        "pagerank_seconds": ranked - loaded,
        "pagerank_sum": sum(pr),
        "top_vertex": top,
        "top_pagerank": pr[top] if pr else 0.0,
        # ru_maxrss is in KiB on Linux.
        "peak_megabytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())

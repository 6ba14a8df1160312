"""PageRank over an LLMML citation graph on a Spark cluster, with GraphFrames.

Input: the vertex and edge Parquet files `llmml citations features ... -o vertices.parquet --edges-out edges.parquet`
writes (or folders of such files, e.g. one per OpenAlex snapshot part). Edges point citing -> cited (src cites dst).

    spark-submit --packages graphframes:graphframes:0.8.3-spark3.5-s_2.12 pagerank_job.py \
        vertices.parquet edges.parquet out/

Writes out/pagerank (id, year, field, pagerank) as Parquet. Never run in LLMML's CI: the schema it expects lives in
schema.json beside it, and LLMML's tests check that our Parquet output matches that file.
"""
import json
import pathlib
import sys

from graphframes import GraphFrame
from pyspark.sql import SparkSession

SCHEMA = json.loads((pathlib.Path(__file__).parent / "schema.json").read_text())


def check(frame, expected, what):
    """Fail early, naming the column, when the input does not have the layout LLMML writes."""
    actual = {f.name: f.dataType.simpleString() for f in frame.schema.fields}
    for name, kind in expected.items():
        if name not in actual:
            raise SystemExit(f"{what}: column '{name}' is missing (has {', '.join(actual)})")
        if actual[name] != kind:
            raise SystemExit(f"{what}: column '{name}' is {actual[name]}, expected {kind}")


def main(vertices_path, edges_path, out_path, reset_probability=0.15, tol=1e-4):
    spark = SparkSession.builder.appName("llmml-citations-pagerank").getOrCreate()
    spark.sparkContext.setCheckpointDir(out_path + "/_checkpoints")  # GraphFrames needs one for long lineages
    vertices = spark.read.parquet(vertices_path)
    edges = spark.read.parquet(edges_path)
    check(vertices, SCHEMA["vertices"], vertices_path)
    check(edges, SCHEMA["edges"], edges_path)

    graph = GraphFrame(vertices.select("id", "year", "field"), edges.select("src", "dst"))
    # resetProbability = 1 - alpha (LLMML's alpha 0.85). GraphX ranks sum to the number of vertices and treat papers
    # without references differently from networkx/LLMML: compare rankings, or divide by the vertex count.
    ranks = graph.pageRank(resetProbability=reset_probability, tol=tol).vertices
    ranks.select("id", "year", "field", "pagerank").write.mode("overwrite").parquet(out_path + "/pagerank")
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: pagerank_job.py VERTICES EDGES OUT")
    main(*sys.argv[1:])

using System.Text.Json;
using DuckDB.NET.Data;
using LLMML.Citations.Features;
using LLMML.Citations.Interchange;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Interchange;

/// <summary>Our Parquet files carry the columns and types examples/GraphFramesHandoff/pagerank_job.py expects (its schema.json).</summary>
public sealed class GraphFramesSchemaTests : TemporaryFolderTest
{
    private static readonly string Example = Path.Combine(RepositoryFiles.Root, "examples", "GraphFramesHandoff");

    // DuckDB's type names → Spark SQL's simpleString(), for the types our writer uses.
    private static readonly Dictionary<string, string> SparkTypes = new()
    {
        ["VARCHAR"] = "string", ["INTEGER"] = "int", ["BIGINT"] = "bigint", ["DOUBLE"] = "double", ["BOOLEAN"] = "boolean",
    };

    [Fact]
    public void Vertex_and_edge_files_match_the_jobs_schema()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Example, "schema.json")));
        var graph = TestGraphs.Named();
        var vertices = Path.Combine(Dir, "vertices.parquet");
        var edges = Path.Combine(Dir, "edges.parquet");
        var features = CitationFeatureComputer.Compute(graph, new CitationFeatureOptions { Features = CitationFeatureKinds.Counts | CitationFeatureKinds.PageRank });
        CitationParquet.WriteVertices(features, vertices);
        CitationParquet.WriteEdges(graph, edges);

        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        foreach (var (file, part) in new[] { (vertices, "vertices"), (edges, "edges") })
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{file}')";
            var actual = new Dictionary<string, string>();
            using (var r = cmd.ExecuteReader())
                while (r.Read()) actual[r.GetString(0)] = SparkTypes[r.GetString(1)];
            foreach (var column in schema.RootElement.GetProperty(part).EnumerateObject())
                actual.Should().ContainKey(column.Name).WhoseValue.Should().Be(column.Value.GetString(), $"{part}.{column.Name}");
        }
    }

    [Fact]
    public void The_job_reads_its_schema_from_that_file_and_uses_the_columns_it_lists()
    {
        var job = File.ReadAllText(Path.Combine(Example, "pagerank_job.py"));
        job.Should().Contain("\"schema.json\"").And.Contain("check(vertices, SCHEMA[\"vertices\"]").And.Contain("check(edges, SCHEMA[\"edges\"]");
        job.Should().Contain("select(\"id\", \"year\", \"field\")").And.Contain("select(\"src\", \"dst\")");
    }
}

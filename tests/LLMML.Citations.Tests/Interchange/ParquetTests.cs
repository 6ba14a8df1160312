using DuckDB.NET.Data;
using LLMML.Citations.Features;
using LLMML.Citations.Graphs;
using LLMML.Citations.Interchange;
using LLMML.Citations.Loading;
using LLMML.Citations.Synthetic;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Interchange;

public sealed class ParquetTests : TemporaryFolderTest
{
    private static readonly CitationGraph Graph = AclLikeGraphGenerator.Generate(new AclLikeGraphOptions { Seeds = 100, Nodes = 1500, Edges = 6000, RandomSeed = 11 }).Graph;

    private (string Vertices, string Edges, PaperFeatures Features) Write()
    {
        var features = CitationFeatureComputer.Compute(Graph, new CitationFeatureOptions { Features = CitationFeatureKinds.AllButBetweenness });
        var vertices = Path.Combine(Dir, "vertices.parquet");
        var edges = Path.Combine(Dir, "edges.parquet");
        CitationParquet.WriteVertices(features, vertices);
        CitationParquet.WriteEdges(Graph, edges);
        return (vertices, edges, features);
    }

    [Fact]
    public void Edges_and_vertices_read_back_as_the_same_graph()
    {
        var (vertices, edges, _) = Write();
        var back = CitationLoader.Load(edges, CitationFormat.Parquet, new CitationLoadOptions { VerticesPath = vertices });
        var g = back.Graph;
        back.Diagnostics.MalformedCount.Should().Be(0);
        g.NodeCount.Should().Be(Graph.NodeCount);
        g.EdgeCount.Should().Be(Graph.EdgeCount);
        g.PaperIds.Should().Equal(Graph.PaperIds); // the vertex file fixes the order
        for (int u = 0; u < g.NodeCount; u++)
        {
            g.YearOf(u).Should().Be(Graph.YearOf(u));
            g.FieldNameOf(u).Should().Be(Graph.FieldNameOf(u));
            g.ReferencesOf(u).ToArray().Should().Equal(Graph.ReferencesOf(u).ToArray());
            g.ReferenceFlagsOf(u).ToArray().Should().Equal(Graph.ReferenceFlagsOf(u).ToArray());
        }
    }

    [Fact]
    public void DuckDB_reads_our_parquet_with_the_documented_types_and_values()
    {
        var (vertices, edges, features) = Write();
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();

        Dictionary<string, string> Types(string path)
        {
            cmd.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{path}')";
            using var r = cmd.ExecuteReader();
            var types = new Dictionary<string, string>();
            while (r.Read()) types[r.GetString(0)] = r.GetString(1);
            return types;
        }
        var v = Types(vertices);
        v["id"].Should().Be("VARCHAR");
        v["year"].Should().Be("INTEGER");
        v["field"].Should().Be("VARCHAR");
        foreach (var name in features.Names) v[name].Should().Be("DOUBLE", name);
        Types(edges).Should().Equal(new Dictionary<string, string>
        {
            ["src"] = "VARCHAR", ["dst"] = "VARCHAR", ["influential"] = "BOOLEAN", ["background"] = "BOOLEAN", ["methodology"] = "BOOLEAN", ["result"] = "BOOLEAN",
        });

        // In-degrees by SQL against the graph's own CSR.
        cmd.CommandText = $"SELECT dst, count(*) FROM read_parquet('{edges}') GROUP BY dst";
        using (var r = cmd.ExecuteReader())
        {
            int rows = 0;
            while (r.Read())
            {
                rows++;
                r.GetInt64(1).Should().Be(Graph.CitationCount(Graph.IndexOf(r.GetString(0))));
            }
            rows.Should().Be(Enumerable.Range(0, Graph.NodeCount).Count(i => Graph.CitationCount(i) > 0));
        }

        // Features: PageRank sums to 1, undefined shares are NULL, and a join by field agrees with the graph.
        cmd.CommandText = $"SELECT sum(pagerank), count(*) FILTER (WHERE same_field_citation_share IS NULL), count(*) FROM read_parquet('{vertices}')";
        using (var r = cmd.ExecuteReader())
        {
            r.Read().Should().BeTrue();
            r.GetDouble(0).Should().BeApproximately(1, 1e-9);
            r.GetInt64(1).Should().Be(features.Column("same_field_citation_share").Count(double.IsNaN));
            r.GetInt64(2).Should().Be(Graph.NodeCount);
        }
        cmd.CommandText = $"SELECT count(*) FROM read_parquet('{edges}') e JOIN read_parquet('{vertices}') s ON e.src = s.id JOIN read_parquet('{vertices}') d ON e.dst = d.id WHERE s.field = d.field";
        long sameField = 0;
        for (int u = 0; u < Graph.NodeCount; u++)
            foreach (var t in Graph.ReferencesOf(u))
                if (Graph.FieldNameOf(u) is { } f && f == Graph.FieldNameOf(t)) sameField++;
        ((long)cmd.ExecuteScalar()!).Should().Be(sameField);
        cmd.CommandText = $"SELECT count(*) FILTER (WHERE influential), count(*) FILTER (WHERE influential IS NULL) FROM read_parquet('{edges}')";
        using (var r = cmd.ExecuteReader())
        {
            r.Read();
            long influential = 0, unannotated = 0;
            for (int u = 0; u < Graph.NodeCount; u++)
                foreach (var fl in Graph.ReferenceFlagsOf(u))
                {
                    if ((fl & EdgeFlags.Influential) != 0) influential++;
                    if ((fl & EdgeFlags.Annotated) == 0) unannotated++;
                }
            r.GetInt64(0).Should().Be(influential);
            r.GetInt64(1).Should().Be(unannotated);
        }
    }

    [Fact]
    public void DuckDB_written_edge_lists_with_integer_ids_are_read()
    {
        var path = Path.Combine(Dir, "ints.parquet");
        using (var db = new DuckDBConnection("DataSource=:memory:"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"COPY (SELECT * FROM (VALUES (1::BIGINT, 2::BIGINT), (3, 2), (2, 1)) t(src, dst)) TO '{path}' (FORMAT PARQUET)";
            cmd.ExecuteNonQuery();
        }
        var g = CitationLoader.Load(path, CitationFormat.Parquet).Graph;
        g.EdgeCount.Should().Be(3);
        g.Cites(g.IndexOf("3"), g.IndexOf("2")).Should().BeTrue();
        g.CitationCount(g.IndexOf("2")).Should().Be(2);
    }

    [Fact]
    public void Required_integer_columns_read_back_whatever_the_shared_array_pool_holds()
    {
        // The generator writes required (non-nullable) id and year columns. Parquet.Net's nullable read overload takes
        // its definition levels from an uncleared ArrayPool<int>.Shared buffer, which a required column never fills:
        // leftover negative ints (here planted on purpose, in the flaky suite left by other tests) became nulls.
        const int papers = 3000;
        string v = Path.Combine(Dir, "v.parquet"), e = Path.Combine(Dir, "e.parquet");
        ScaleGraphGenerator.Write(new ScaleGraphOptions { Papers = papers, RandomSeed = 5 }, v, e);
        PoisonSharedIntPool(papers);
        var load = CitationParquet.ReadGraph(e, v);
        var g = load.Graph;
        load.Diagnostics.MalformedCount.Should().Be(0);
        g.NodeCount.Should().Be(papers);
        g.PaperIds.Should().Equal(Enumerable.Range(0, papers).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        for (int u = 0; u < papers; u++)
        {
            g.YearOf(u).Should().NotBeNull();
            if (u > 0) g.YearOf(u)!.Value.Should().BeGreaterThanOrEqualTo(g.YearOf(u - 1)!.Value); // papers in publication order
        }
    }

    // Returns many arrays full of -1 to ArrayPool<int>.Shared, from this thread and from pool threads, so the next
    // rentals of that size (on whichever thread the reader runs) see them.
    private static void PoisonSharedIntPool(int length)
    {
        void Poison()
        {
            var arrays = Enumerable.Range(0, 64).Select(_ => System.Buffers.ArrayPool<int>.Shared.Rent(length)).ToArray();
            foreach (var a in arrays) { Array.Fill(a, -1); System.Buffers.ArrayPool<int>.Shared.Return(a); }
        }
        Poison();
        Parallel.For(0, 4 * Environment.ProcessorCount, _ => Poison());
        Task.WaitAll(Enumerable.Range(0, 4 * Environment.ProcessorCount).Select(_ => Task.Run(Poison)).ToArray());
    }

    [Fact]
    public void A_missing_column_or_a_non_parquet_file_names_the_file()
    {
        var path = Path.Combine(Dir, "wrong.parquet");
        CitationParquet.WriteVertices(Graph, path);
        var act = () => CitationParquet.ReadGraph(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: column 'src' is missing*");
        var text = Path.Combine(Dir, "text.parquet");
        File.WriteAllText(text, "src,dst\n1,2\n");
        act = () => CitationParquet.ReadGraph(text);
        act.Should().Throw<InvalidDataException>().WithMessage($"{text}: not a readable Parquet file*");
    }
}

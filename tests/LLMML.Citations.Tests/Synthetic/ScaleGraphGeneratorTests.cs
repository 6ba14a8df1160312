using LLMML.Citations.Benchmarks;
using LLMML.Citations.Interchange;
using LLMML.Citations.Synthetic;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Synthetic;

public sealed class ScaleGraphGeneratorTests : TemporaryFolderTest
{
    [Fact]
    public void Writes_a_backward_in_time_heavy_tailed_homophilous_graph_that_loads_back()
    {
        var options = new ScaleGraphOptions { Papers = 20_000, MeanReferences = 8, Fields = 10, RandomSeed = 3 };
        string v = Path.Combine(Dir, "v.parquet"), e = Path.Combine(Dir, "e.parquet");
        var (papers, references) = ScaleGraphGenerator.Write(options, v, e);
        var load = CitationParquet.ReadGraph(e, v);
        var g = load.Graph;
        papers.Should().Be(20_000);
        g.NodeCount.Should().Be(20_000);
        g.EdgeCount.Should().Be((int)references);
        load.Diagnostics.DuplicateEdges.Should().Be(0);
        load.Diagnostics.SelfCitations.Should().Be(0);
        ((double)references / papers).Should().BeInRange(6.5, 8.5);
        int sameField = 0;
        for (int u = 0; u < g.NodeCount; u++)
            foreach (var t in g.ReferencesOf(u))
            {
                int.Parse(g.PaperIds[t]).Should().BeLessThan(int.Parse(g.PaperIds[u])); // only earlier papers are cited
                g.YearOf(t)!.Value.Should().BeLessThanOrEqualTo(g.YearOf(u)!.Value);
                if (g.FieldNameOf(t) == g.FieldNameOf(u)) sameField++;
            }
        ((double)sameField / references).Should().BeGreaterThan(0.7); // homophily 0.7 plus chance matches
        int maxCitations = Enumerable.Range(0, g.NodeCount).Max(g.CitationCount);
        maxCitations.Should().BeGreaterThan(20 * 8); // preferential attachment: a heavy tail far above the mean
        g.FieldNames.Should().HaveCount(10);
    }

    [Fact]
    public void The_same_options_give_the_same_files()
    {
        var options = new ScaleGraphOptions { Papers = 3000, RandomSeed = 8 };
        ScaleGraphGenerator.Write(options, Path.Combine(Dir, "v1"), Path.Combine(Dir, "e1"));
        ScaleGraphGenerator.Write(options, Path.Combine(Dir, "v2"), Path.Combine(Dir, "e2"));
        File.ReadAllBytes(Path.Combine(Dir, "e1")).Should().Equal(File.ReadAllBytes(Path.Combine(Dir, "e2")));
        File.ReadAllBytes(Path.Combine(Dir, "v1")).Should().Equal(File.ReadAllBytes(Path.Combine(Dir, "v2")));
    }

    [Fact]
    public void The_scale_benchmark_reports_every_stage_on_a_small_graph()
    {
        var r = CitationScaleBenchmark.Run(new ScaleGraphOptions { Papers = 5000 }, Dir);
        r.Stages.Select(s => s.Stage).Should().Equal("load vertices", "load edges", "build graph", "pagerank", "hits", "k-core", "clustering", "write vertex Parquet (every feature)");
        r.Stages.Should().OnlyContain(s => s.PeakMegabytes > 0 && s.CpuSeconds >= 0);
        r.References.Should().BeGreaterThan(30_000);
        r.PeakBytesPerReference.Should().BePositive();
        Directory.EnumerateFiles(Dir).Should().BeEmpty();
    }
}

using LLMML.Citations.Features;
using LLMML.Citations.Graphs;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Features;

public class FeatureComputerTests
{
    // Fields: 0 = IA, 1 = ML. Years: papers 0,1 in 2020; 2,3 in 2022; 4 unknown.
    // 2 cites 0 and 1; 3 cites 0; 1 cites 0; 4 cites 0.
    private static CitationGraph Small() => TestGraphs.FromEdges(5, [(2, 0), (2, 1), (3, 0), (1, 0), (4, 0)],
        fields: [0, 1, 0, 1, -1], years: [2020, 2020, 2022, 2022, 0], fieldNames: ["IA", "ML"]);

    [Fact]
    public void Counts_and_shares_have_hand_computed_values()
    {
        var f = CitationFeatureComputer.Compute(Small(), new CitationFeatureOptions { Features = CitationFeatureKinds.AllButBetweenness });
        f.Column("citations").Should().Equal(4, 1, 0, 0, 0);
        f.Column("references").Should().Equal(0, 1, 2, 1, 1);
        // Reference year = 2022 (latest): paper 0 has 4 citations over 3 years.
        f[0, "citations_per_year"].Should().BeApproximately(4.0 / 3, 1e-12);
        double.IsNaN(f[4, "citations_per_year"]).Should().BeTrue();
        // Paper 0 (IA) is cited by 2 (IA), 3 (ML), 1 (ML), 4 (unknown): same 1/4, other 2/4.
        f[0, "same_field_citation_share"].Should().Be(0.25);
        f[0, "other_field_citation_share"].Should().Be(0.5);
        f[0, "citation_share:ML"].Should().Be(0.5);
        double.IsNaN(f[2, "same_field_citation_share"]).Should().BeTrue("nobody cites paper 2");
        // Paper 2 cites 0 (IA) and 1 (ML).
        f[2, "reference_share:IA"].Should().Be(0.5);
        f[3, "reference_share:IA"].Should().Be(1);
        f.Names.Should().NotContain("betweenness");
    }

    [Fact]
    public void Intent_shares_count_only_annotated_citations()
    {
        var b = new CitationGraphBuilder();
        b.AddCitation("x", "target", EdgeFlags.Annotated | EdgeFlags.Background | EdgeFlags.Influential);
        b.AddCitation("y", "target", EdgeFlags.Annotated | EdgeFlags.Methodology);
        b.AddCitation("z", "target", EdgeFlags.Annotated | EdgeFlags.Background);
        b.AddCitation("w", "target"); // no annotation: left out of the denominators
        var g = b.Build();
        var f = CitationFeatureComputer.Compute(g, new CitationFeatureOptions { Features = CitationFeatureKinds.Intents });
        int t = g.IndexOf("target");
        f[t, "background_share"].Should().BeApproximately(2.0 / 3, 1e-12);
        f[t, "methodology_share"].Should().BeApproximately(1.0 / 3, 1e-12);
        f[t, "influential_share"].Should().BeApproximately(1.0 / 3, 1e-12);
        f[t, "result_share"].Should().Be(0);
    }

    [Fact]
    public void Selected_groups_only_and_the_table_exports()
    {
        var f = CitationFeatureComputer.Compute(Small(), new CitationFeatureOptions { Features = CitationFeatureKinds.PageRank | CitationFeatureKinds.CoreNumber });
        f.Names.Should().Equal("pagerank", "core_number");
        var frame = f.ToDataFrame();
        frame.Columns.Select(c => c.Name).Should().Equal("paper_id", "year", "field", "pagerank", "core_number");
        frame.Rows.Count.Should().Be(5);
        var path = Path.GetTempFileName();
        try
        {
            f.WriteCsv(path);
            var lines = File.ReadAllLines(path);
            lines[0].Should().Be("paper_id,year,field,pagerank,core_number");
            lines[5].Should().StartWith("4,,,");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void An_unknown_target_field_is_named_in_the_error()
    {
        var act = () => CitationFeatureComputer.Compute(Small(), new CitationFeatureOptions { TargetFields = ["Syntax"] });
        act.Should().Throw<ArgumentException>().WithMessage("*Syntax*IA, ML*");
    }

    [Fact]
    public void New_papers_get_the_values_of_an_uncited_paper_appended_to_the_graph()
    {
        var g = TestGraphs.Random(30, 0.12, 3);
        var f = CitationFeatureComputer.Compute(g, new CitationFeatureOptions { Features = CitationFeatureKinds.AllButBetweenness });
        var refs = new[] { 1, 4, 7 };
        var v = new float[f.Names.Count];
        NewPaperFeatures.Score(f, refs, totalReferences: 4, v);
        float Get(string name) => v[f.Names.ToList().IndexOf(name)];
        Get("references").Should().Be(4);
        Get("citations").Should().Be(0);
        // PageRank of a paper nobody cites equals that of any uncited paper in a graph with the paper appended:
        // check against a recomputation on the extended graph (others shift by O(1/n), the floor formula is exact for it).
        var b = new CitationGraphBuilder();
        for (int i = 0; i < g.NodeCount; i++) b.Paper(g.PaperIds[i]);
        for (int u = 0; u < g.NodeCount; u++) foreach (var w in g.ReferencesOf(u)) b.AddCitation(u, w);
        int added = b.Paper("new");
        foreach (var r in refs) b.AddCitation(added, r);
        var extended = b.Build();
        var pr = PageRank.Compute(extended);
        // The floor uses n papers, the extended graph n + 1: they agree to O(1/n) relative (here n = 30).
        Get("pagerank").Should().BeApproximately((float)pr[added], (float)pr[added] * 0.05f);
        Get("core_number").Should().BeLessThanOrEqualTo(CoreNumber.Compute(extended)[added]);
        Get("clustering").Should().BeApproximately((float)Clustering.Compute(extended)[added], 1e-6f);
    }
}

using LLMML.Citations.Synthetic;

namespace LLMML.Citations.Tests.Synthetic;

public class AclLikeGraphGeneratorTests
{
    private static readonly AclLikeGraphOptions Small = new() { Seeds = 400, Nodes = 8000, Edges = 34000, RandomSeed = 5 };

    [Fact]
    public void Has_the_requested_size_and_one_hop_structure()
    {
        var s = AclLikeGraphGenerator.Generate(Small);
        var g = s.Graph;
        g.NodeCount.Should().Be(8000);
        g.EdgeCount.Should().BeInRange(32000, 34000);
        s.IsSeed.Count(x => x).Should().Be(400);
        for (int u = 0; u < g.NodeCount; u++)
        {
            (g.ReferenceCount(u) + g.CitationCount(u)).Should().BePositive("every paper of a one-hop crawl touches a seed");
            if (s.IsSeed[u]) continue;
            foreach (var v in g.ReferencesOf(u)) s.IsSeed[v].Should().BeTrue("edges between two non-seed papers were not collected");
            foreach (var v in g.CitationsOf(u)) s.IsSeed[v].Should().BeTrue();
        }
    }

    [Fact]
    public void Never_cites_forward_in_time_and_has_no_interpretability_seed_before_2020()
    {
        var s = AclLikeGraphGenerator.Generate(Small);
        var g = s.Graph;
        for (int u = 0; u < g.NodeCount; u++)
            foreach (var v in g.ReferencesOf(u))
                g.YearOf(v)!.Value.Should().BeLessThanOrEqualTo(g.YearOf(u)!.Value);
        int ia = g.FieldIndex(AclTracks.Interpretability);
        Enumerable.Range(0, g.NodeCount).Where(v => s.IsSeed[v] && g.FieldOf(v) == ia).Should().OnlyContain(v => g.YearOf(v) >= 2020);
        g.HasEdgeAnnotations.Should().BeTrue();
    }

    [Fact]
    public void Is_deterministic_for_a_seed()
    {
        var a = AclLikeGraphGenerator.Generate(Small).Graph;
        var b = AclLikeGraphGenerator.Generate(Small).Graph;
        b.EdgeCount.Should().Be(a.EdgeCount);
        for (int u = 0; u < a.NodeCount; u += 97) b.ReferencesOf(u).ToArray().Should().Equal(a.ReferencesOf(u).ToArray());
    }
}

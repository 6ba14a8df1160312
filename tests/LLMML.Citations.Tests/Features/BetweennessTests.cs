using LLMML.Citations.Features;
using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Features;

public class BetweennessTests
{
    [Fact]
    public void Matches_networkx_on_the_named_graph()
    {
        // networkx 2.8.8: betweenness_centrality(G) (normalised) and normalized=False on TestGraphs.NamedEdges.
        double[] normalised = [0.15277777777777776, 0.1111111111111111, 0.18055555555555555, 0, 0.08333333333333333, 0.05555555555555555, 0.027777777777777776, 0.09722222222222221, 0, 0];
        double[] raw = [11, 8, 13, 0, 6, 4, 2, 7, 0, 0];
        var g = TestGraphs.Named();
        Betweenness.Compute(g).Should().Equal(normalised, (x, y) => Math.Abs(x - y) < 1e-12);
        Betweenness.Compute(g, new BetweennessOptions { Normalized = false }).Should().Equal(raw, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Theory]
    [InlineData(21, 0.08)]
    [InlineData(22, 0.2)]
    public void Exact_matches_brute_force_over_all_pairs(int seed, double density)
    {
        var g = TestGraphs.Random(40, density, seed);
        var fast = Betweenness.Compute(g, new BetweennessOptions { Normalized = false });
        var brute = NaiveReferences.Betweenness(g);
        for (int v = 0; v < g.NodeCount; v++) fast[v].Should().BeApproximately(brute[v], 1e-9);
    }

    [Fact]
    public void Sampled_is_the_brute_force_sum_over_the_chosen_sources_scaled_by_n_over_k()
    {
        var g = TestGraphs.Random(50, 0.1, 5);
        int n = g.NodeCount, k = 12;
        var sources = Betweenness.ChooseSources(n, k, seed: 9);
        sources.Distinct().Should().HaveCount(k);
        var brute = NaiveReferences.Betweenness(g, sources);
        var sampled = Betweenness.Compute(g, new BetweennessOptions { Samples = k, Seed = 9 });
        double scale = 1.0 / ((n - 1.0) * (n - 2.0)) * n / k;
        for (int v = 0; v < n; v++) sampled[v].Should().BeApproximately(brute[v] * scale, 1e-12);
        Betweenness.Compute(g, new BetweennessOptions { Samples = k, Seed = 9, MaxDegreeOfParallelism = 1 })
            .Should().Equal(sampled, (x, y) => Math.Abs(x - y) < 1e-15, "the thread count must not change the result");
    }

    [Fact]
    public void Cora_exact_values_match_networkx()
    {
        // networkx 2.8.8: nx.betweenness_centrality(C): top '1272' = 0.001300111315248223, '13686' = 0.0012246178981922806; sum 0.024526077446689755.
        var g = CoraDataset.Read(RepositoryFiles.Data("cora.npz")).Graph;
        var bc = Betweenness.Compute(g);
        bc[g.IndexOf("1272")].Should().BeApproximately(0.001300111315248223, 1e-12);
        bc[g.IndexOf("13686")].Should().BeApproximately(0.0012246178981922806, 1e-12);
        bc.Sum().Should().BeApproximately(0.024526077446689755, 1e-10);
    }
}

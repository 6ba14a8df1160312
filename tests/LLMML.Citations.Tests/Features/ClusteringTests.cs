using LLMML.Citations.Features;
using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Features;

public class ClusteringTests
{
    [Fact]
    public void Matches_networkx_on_the_named_graph()
    {
        // networkx 2.8.8: nx.clustering(G) on TestGraphs.NamedEdges.
        double[] expected = [0.5, 0.3333333333333333, 0.16666666666666666, 0.5, 0.16666666666666666, 0, 0, 0, 0, 0];
        Clustering.Compute(TestGraphs.Named()).Should().Equal(expected, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void A_transitive_triple_has_the_hand_computed_value()
    {
        // 2 cites 1 and 0, 1 cites 0: each paper has total degree 2, one triangle of (A+Aᵀ) → T = 2, c = 2 / (2·2) = 0.5.
        Clustering.Compute(TestGraphs.FromEdges(3, [(2, 1), (2, 0), (1, 0)])).Should().Equal(0.5, 0.5, 0.5);
    }

    [Theory]
    [InlineData(31, 0.1)]
    [InlineData(32, 0.3)]
    public void Matches_the_dense_matrix_formula_on_random_graphs(int seed, double density)
    {
        var g = TestGraphs.Random(45, density, seed);
        var fast = Clustering.Compute(g);
        var dense = NaiveReferences.Clustering(g);
        for (int v = 0; v < g.NodeCount; v++) fast[v].Should().BeApproximately(dense[v], 1e-12);
    }

    [Fact]
    public void Cora_average_matches_networkx()
    {
        // networkx 2.8.8: average of nx.clustering(C) = 0.13138295104285622; clustering['10177'] = 0.07983193277310924.
        var g = CoraDataset.Read(RepositoryFiles.Data("cora.npz")).Graph;
        var c = Clustering.Compute(g);
        c.Average().Should().BeApproximately(0.13138295104285622, 1e-12);
        c[g.IndexOf("10177")].Should().BeApproximately(0.07983193277310924, 1e-12);
    }
}

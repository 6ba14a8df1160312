using LLMML.Citations.Features;
using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Features;

public class PageRankTests
{
    [Fact]
    public void Matches_networkx_on_the_named_graph_to_1e_6()
    {
        // networkx 2.8.8 (Debian python3-networkx): nx.pagerank(G) on TestGraphs.NamedEdges, nodes 0..9.
        double[] expected = [0.2273516799822264, 0.1232953999909837, 0.23609429926631062, 0.026671318998127143, 0.057720487109266194,
            0.04638505130459958, 0.04638505130459958, 0.09878606089315753, 0.11063933215260228, 0.026671318998127143];
        var pr = PageRank.Compute(TestGraphs.Named());
        for (int i = 0; i < 10; i++) pr[i].Should().BeApproximately(expected[i], 1e-6);
    }

    [Theory]
    [InlineData(1, 0.05)]
    [InlineData(2, 0.2)]
    [InlineData(3, 0.01)]
    public void Matches_a_dense_power_iteration_on_random_graphs(int seed, double density)
    {
        var g = TestGraphs.Random(60, density, seed);
        var dense = NaiveReferences.PageRank(g);
        // networkx's stopping rule (L1 change < n·tol) leaves the iterate within ~1e-5 of the fixed point ...
        var fast = PageRank.Compute(g);
        for (int i = 0; i < g.NodeCount; i++) fast[i].Should().BeApproximately(dense[i], 1e-5);
        fast.Sum().Should().BeApproximately(1, 1e-9);
        // ... and a tight tolerance reaches it.
        var tight = PageRank.Compute(g, new PageRankOptions { Tolerance = 1e-14, MaxIterations = 1000 });
        for (int i = 0; i < g.NodeCount; i++) tight[i].Should().BeApproximately(dense[i], 1e-11);
    }

    [Fact]
    public void Matches_networkx_on_cora()
    {
        // networkx 2.8.8: nx.pagerank on Cora with edges citing → cited (the archive's rows are cited papers).
        var g = CoraDataset.Read(RepositoryFiles.Data("cora.npz")).Graph;
        var pr = PageRank.Compute(g);
        pr[g.IndexOf("35")].Should().BeApproximately(0.025159159220094277, 1e-6);
        pr[g.IndexOf("15429")].Should().BeApproximately(0.02475536762472082, 1e-6);
        pr[g.IndexOf("10177")].Should().BeApproximately(0.02401874187360807, 1e-6);
        pr[g.IndexOf("210871")].Should().BeApproximately(0.011900429502046736, 1e-6);
        pr[g.IndexOf("1000012")].Should().BeApproximately(0.00012566556250439203, 1e-7);
        pr.Sum(v => v * v).Should().BeApproximately(0.003506641323380915, 1e-7);
    }

    [Fact]
    public void Too_few_iterations_throw_a_named_error()
    {
        var act = () => PageRank.Compute(TestGraphs.Random(50, 0.1, 4), new PageRankOptions { MaxIterations = 2 });
        act.Should().Throw<PowerIterationFailedException>().WithMessage("PageRank did not converge in 2 iterations*");
    }
}

using LLMML.Citations.Features;
using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Features;

public class PageRankTests
{
    private static double L1(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Sum();

    [Fact]
    public void The_networkx_option_reproduces_networkx_defaults_on_the_named_graph()
    {
        // networkx 2.8.8 (Debian python3-networkx): nx.pagerank(G) on TestGraphs.NamedEdges, nodes 0..9.
        double[] expected = [0.2273516799822264, 0.1232953999909837, 0.23609429926631062, 0.026671318998127143, 0.057720487109266194,
            0.04638505130459958, 0.04638505130459958, 0.09878606089315753, 0.11063933215260228, 0.026671318998127143];
        var pr = PageRank.Compute(TestGraphs.Named(), PageRankOptions.NetworkX());
        for (int i = 0; i < 10; i++) pr[i].Should().BeApproximately(expected[i], 1e-15);
    }

    [Fact]
    public void The_default_is_exact_on_the_named_graph()
    {
        // networkx 2.8.8: nx.pagerank(G, tol=1e-15, max_iter=100000), i.e. converged.
        double[] converged = [0.22735149936948224, 0.12329580008455866, 0.23609421943170997, 0.026671412852528914, 0.057720416292810064,
            0.046385065830485156, 0.046385065830485156, 0.09878578086642305, 0.11063932658898802, 0.026671412852528914];
        var g = TestGraphs.Named();
        var pr = PageRank.Compute(g);
        L1(pr, converged).Should().BeLessThan(1e-10);
        L1(pr, NaiveReferences.PageRankByLinearSystem(g)).Should().BeLessThan(1e-10);
    }

    [Theory]
    [InlineData(1, 0.05, 0.85)]
    [InlineData(2, 0.2, 0.85)]
    [InlineData(3, 0.01, 0.85)]
    [InlineData(4, 0.05, 0.99)]
    [InlineData(5, 0.05, 0.5)]
    public void The_default_is_within_its_stated_L1_error_of_two_independent_references(int seed, double density, double alpha)
    {
        var g = TestGraphs.Random(60, density, seed);
        var pr = PageRank.Compute(g, new PageRankOptions { Alpha = alpha, MaxIterations = 10_000 });
        L1(pr, NaiveReferences.PageRank(g, alpha)).Should().BeLessThan(1e-10);
        L1(pr, NaiveReferences.PageRankByLinearSystem(g, alpha)).Should().BeLessThan(1e-10);
        pr.Sum().Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void A_looser_error_bound_is_still_kept()
    {
        var g = TestGraphs.Random(80, 0.05, 9);
        var exact = NaiveReferences.PageRankByLinearSystem(g);
        foreach (var tolerance in new[] { 1e-3, 1e-5, 1e-8 })
            L1(PageRank.Compute(g, new PageRankOptions { Tolerance = tolerance }), exact).Should().BeLessThan(tolerance);
    }

    [Fact]
    public void On_cora_the_networkx_option_equals_networkx_and_the_default_equals_the_converged_vector()
    {
        var g = CoraDataset.Read(RepositoryFiles.Data("cora.npz")).Graph;
        // networkx 2.8.8, edges citing → cited (the archive's rows are cited papers):
        // (id, nx.pagerank(C), nx.pagerank(C, tol=1e-15, max_iter=100000))
        (string Id, double NetworkX, double Converged)[] papers =
        [
            ("35", 0.025159159220094277, 0.024971624635679174),
            ("15429", 0.02475536762472082, 0.025940512831996956),
            ("10177", 0.02401874187360807, 0.025160726909228187),
            ("210871", 0.011900429502046736, 0.01179237090438329),
            ("1000012", 0.00012566556250439203, 0.00012516213052536347),
        ];
        var nx = PageRank.Compute(g, PageRankOptions.NetworkX());
        var exact = PageRank.Compute(g);
        foreach (var (id, networkx, converged) in papers)
        {
            nx[g.IndexOf(id)].Should().BeApproximately(networkx, 1e-15);
            exact[g.IndexOf(id)].Should().BeApproximately(converged, 1e-11);
        }
        nx.Sum(v => v * v).Should().BeApproximately(0.003506641323380915, 1e-15);
        exact.Sum(v => v * v).Should().BeApproximately(0.0036152713332188997, 1e-12);
        L1(exact, NaiveReferences.PageRankByLinearSystem(g)).Should().BeLessThan(1e-10);
        // networkx's default stops far from the fixed point: 1.19e-3 on paper 15429 (4.6%), 9.7e-3 in L1.
        L1(nx, exact).Should().BeApproximately(0.009739312164128516, 1e-9);
    }

    [Fact]
    public void Too_few_iterations_throw_a_named_error()
    {
        var act = () => PageRank.Compute(TestGraphs.Random(50, 0.1, 4), new PageRankOptions { MaxIterations = 2 });
        act.Should().Throw<PowerIterationFailedException>().WithMessage("PageRank did not converge in 2 iterations*");
    }
}

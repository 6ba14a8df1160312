using LLMML.Citations.Features;
using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Features;

public class CoreNumberTests
{
    [Fact]
    public void A_citation_clique_with_a_tail_has_hand_computed_cores()
    {
        // Papers 0..3 all cite each earlier one (a 4-clique: total degree 3 each), 4 cites 3, 5 cites 4, 6 isolated.
        var edges = new List<(int, int)> { (1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2), (4, 3), (5, 4) };
        CoreNumber.Compute(TestGraphs.FromEdges(7, edges)).Should().Equal(3, 3, 3, 3, 1, 1, 0);
    }

    [Fact]
    public void Mutual_citations_count_twice_as_in_networkx()
    {
        // A 2-cycle: each paper has in+out degree 2, so both are in the 2-core (networkx: {0: 2, 1: 2}).
        CoreNumber.Compute(TestGraphs.FromEdges(2, [(0, 1), (1, 0)])).Should().Equal(2, 2);
        // networkx 2.8.8 core_number on TestGraphs.NamedEdges.
        CoreNumber.Compute(TestGraphs.Named()).Should().Equal(2, 2, 2, 2, 2, 2, 2, 2, 1, 0);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Matches_naive_peeling_on_random_graphs(int seed)
    {
        var g = TestGraphs.Random(80, 0.06, seed);
        CoreNumber.Compute(g).Should().Equal(NaiveReferences.CoreNumbers(g));
    }

    [Fact]
    public void Cora_core_histogram_matches_networkx()
    {
        // networkx 2.8.8: max core 5, histogram of core numbers [0, 554, 825, 1080, 240, 9].
        var cores = CoreNumber.Compute(CoraDataset.Read(RepositoryFiles.Data("cora.npz")).Graph);
        Enumerable.Range(0, 6).Select(k => cores.Count(c => c == k)).Should().Equal(0, 554, 825, 1080, 240, 9);
    }
}

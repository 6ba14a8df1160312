using LLMML.Citations.Features;
using LLMML.Citations.Graphs;
using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;
using MathNet.Numerics.LinearAlgebra;

namespace LLMML.Citations.Tests.Features;

public class HitsTests
{
    [Fact]
    public void Matches_networkx_on_the_named_graph()
    {
        // networkx 2.8.8: nx.hits(G, max_iter=1000, tol=1e-12) on TestGraphs.NamedEdges.
        double[] hubs = [0.21208180579416017, 0.23157092659141892, 0, 0.2315709265914188, 0.1695216838207214, 0.07762732860114033, 0.07762732860114038, 0, 0, 0];
        double[] auths = [0, 0.1158614138827027, 0.4614888553069231, 0, 0.1689166446057347, 0.04240822079945227, 0.04240822079945232, 0.16891664460573488, 0, 0];
        var s = Hits.Compute(TestGraphs.Named(), new HitsOptions { Tolerance = 1e-13 });
        for (int i = 0; i < 10; i++)
        {
            s.Hubs[i].Should().BeApproximately(hubs[i], 1e-6);
            s.Authorities[i].Should().BeApproximately(auths[i], 1e-6);
        }
    }

    [Fact]
    public void The_default_and_the_networkx_tolerance_both_reach_networkx_converged_values()
    {
        // networkx 2.8.8: nx.hits(G, max_iter=1000, tol=1e-12): node 2's authority and node 1's hub.
        foreach (var options in new[] { new HitsOptions(), HitsOptions.NetworkX() })
        {
            var s = Hits.Compute(TestGraphs.Named(), options);
            s.Authorities[2].Should().BeApproximately(0.4614888553069231, 1e-7);
            s.Hubs[1].Should().BeApproximately(0.23157092659141892, 1e-7);
        }
    }

    [Fact]
    public void Equals_the_leading_singular_vectors_of_the_adjacency_matrix()
    {
        var g = TestGraphs.Random(40, 0.12, 7);
        var (hub, auth) = LeadingSingularVectors(g);
        var s = Hits.Compute(g, new HitsOptions { Tolerance = 1e-13 });
        for (int i = 0; i < g.NodeCount; i++)
        {
            s.Hubs[i].Should().BeApproximately(hub[i], 1e-7);
            s.Authorities[i].Should().BeApproximately(auth[i], 1e-7);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(24)]
    public void Every_Krylov_basis_size_reaches_the_dense_singular_vectors(int basis)
    {
        // Larger graphs than the SVD test above, where a small basis must restart several times.
        foreach (var seed in new[] { 11, 12 })
        {
            var g = TestGraphs.Random(150, 0.04, seed);
            var (hub, auth) = LeadingSingularVectors(g);
            var s = Hits.Compute(g, new HitsOptions { Tolerance = 1e-12, KrylovDimension = basis });
            for (int i = 0; i < g.NodeCount; i++)
            {
                s.Hubs[i].Should().BeApproximately(hub[i], 1e-8);
                s.Authorities[i].Should().BeApproximately(auth[i], 1e-8);
            }
        }
    }

    // The independent reference: hubs and authorities are the leading left and right singular vectors of the dense
    // adjacency matrix, normalised to sum 1 (signs dropped: a singular vector is defined up to sign).
    private static (Vector<double> Hubs, Vector<double> Authorities) LeadingSingularVectors(CitationGraph g)
    {
        var svd = Matrix<double>.Build.DenseOfArray(TestGraphs.Dense(g)).Svd(true);
        var hub = svd.U.Column(0).PointwiseAbs();
        var auth = svd.VT.Row(0).PointwiseAbs();
        return (hub / hub.Sum(), auth / auth.Sum());
    }

    [Fact]
    public void Top_cora_authority_matches_networkx()
    {
        // networkx 2.8.8: nx.hits(C, max_iter=1000, tol=1e-10): top authority '35' = 0.32135569108610573, next '82920' = 0.03438006392503605.
        var g = CoraDataset.Read(RepositoryFiles.Data("cora.npz")).Graph;
        var s = Hits.Compute(g, new HitsOptions { Tolerance = 1e-12 });
        s.Authorities[g.IndexOf("35")].Should().BeApproximately(0.32135569108610573, 1e-6);
        s.Authorities[g.IndexOf("82920")].Should().BeApproximately(0.03438006392503605, 1e-6);
        s.Hubs[g.IndexOf("1152421")].Should().BeApproximately(0.006597967391581541, 1e-6);
    }
}

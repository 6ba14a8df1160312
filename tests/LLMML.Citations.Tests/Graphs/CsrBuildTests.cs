using LLMML.Citations.Graphs;

namespace LLMML.Citations.Tests.Graphs;

/// <summary>The in-place counting-sort build against the obvious one: sort the distinct pairs, OR the flags of repeats.</summary>
public class CsrBuildTests
{
    [Theory]
    [InlineData(1, 50, 400, true)]
    [InlineData(2, 300, 5000, false)]
    [InlineData(3, 7, 200, true)] // dense: many parallel edges and self-citations
    [InlineData(4, 1, 10, false)]
    public void Random_edge_lists_give_the_sorted_distinct_edges_with_merged_flags(int seed, int n, int m, bool flagged)
    {
        var rng = new Random(seed);
        var b = new CitationGraphBuilder();
        for (int i = 0; i < n; i++) b.Paper((long)i * 7919 + 13); // integer ids, not 0..n-1
        var edges = new List<(int S, int D, EdgeFlags F)>();
        for (int e = 0; e < m; e++)
        {
            // A skewed source distribution, so some papers have long reference lists and many none.
            int s = (int)(n * Math.Pow(rng.NextDouble(), 3)), d = rng.Next(n);
            var f = flagged && rng.Next(3) == 0 ? EdgeFlags.Annotated | (EdgeFlags)(1 << rng.Next(4)) : EdgeFlags.None;
            edges.Add((s, d, f));
            b.AddCitation(s, d, f);
        }
        var g = b.Build();

        var expected = edges.Where(e => e.S != e.D).GroupBy(e => (e.S, e.D))
            .Select(grp => (grp.Key.S, grp.Key.D, F: grp.Aggregate(EdgeFlags.None, (a, e) => a | e.F)))
            .OrderBy(e => e.S).ThenBy(e => e.D).ToList();
        g.NodeCount.Should().Be(n);
        g.EdgeCount.Should().Be(expected.Count);
        b.SelfCitations.Should().Be(edges.Count(e => e.S == e.D));
        b.DuplicateEdges.Should().Be(edges.Count(e => e.S != e.D) - expected.Count);
        var actual = Enumerable.Range(0, n).SelectMany(u =>
            g.ReferencesOf(u).ToArray().Zip(g.ReferenceFlagsOf(u).ToArray(), (v, f) => (u, v, f))).ToList();
        actual.Should().Equal(expected);
        // The transposed index holds the same edges, sources sorted, flags aligned.
        var incoming = Enumerable.Range(0, n).SelectMany(v =>
            g.CitationsOf(v).ToArray().Zip(g.CitationFlagsOf(v).ToArray(), (u, f) => (u, v, f))).OrderBy(e => e.u).ThenBy(e => e.v).ToList();
        incoming.Should().Equal(expected);
        for (int v = 0; v < n; v++) g.CitationsOf(v).ToArray().Should().BeInAscendingOrder();
        g.HasEdgeAnnotations.Should().Be(expected.Any(e => e.F != EdgeFlags.None));
        g.PaperIds[n - 1].Should().Be(((long)(n - 1) * 7919 + 13).ToString(System.Globalization.CultureInfo.InvariantCulture));
        g.IndexOf(g.PaperIds[n / 2]).Should().Be(n / 2);
    }

    [Fact]
    public void Integer_ids_then_a_string_id_spell_every_paper_as_a_string()
    {
        var b = new CitationGraphBuilder();
        int a = b.Paper(42L), c = b.Paper(-7L);
        b.Contains("42").Should().BeTrue();
        b.Contains("042").Should().BeFalse();
        int w = b.Paper("W1");
        b.Paper(42L).Should().Be(a);
        b.Paper("-7").Should().Be(c);
        b.AddCitation(w, a);
        var g = b.Build();
        g.PaperIds.Should().Equal("42", "-7", "W1");
        g.IndexOf("42").Should().Be(a);
        g.IndexOf("W1").Should().Be(w);
        g.Cites(w, a).Should().BeTrue();
    }

    [Fact]
    public void Integer_id_graphs_look_papers_up_by_their_canonical_spelling_only()
    {
        var b = new CitationGraphBuilder();
        b.AddCitation(b.Paper(10L), b.Paper(20L));
        var g = b.Build();
        g.IndexOf("20").Should().Be(1);
        g.IndexOf("020").Should().Be(-1);
        g.IndexOf("+20").Should().Be(-1);
        g.IndexOf("x").Should().Be(-1);
        g.ReferenceFlagsOf(0).ToArray().Should().Equal(EdgeFlags.None);
        g.CitationFlagsOf(1).ToArray().Should().Equal(EdgeFlags.None);
        g.HasEdgeAnnotations.Should().BeFalse();
    }
}

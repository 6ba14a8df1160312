using LLMML.Citations.Features;
using LLMML.Citations.Synthetic;

namespace LLMML.Citations.Tests.Features;

/// <summary>Counts and shares are derived from the graph when read; they must be the very doubles the bulk passes give.</summary>
public class DerivedColumnTests
{
    [Fact]
    public void Derived_columns_equal_the_bulk_computations_bit_for_bit()
    {
        var g = AclLikeGraphGenerator.Generate(new AclLikeGraphOptions { Nodes = 3000, Seeds = 200, Edges = 12_000 }).Graph;
        g.HasEdgeAnnotations.Should().BeTrue();
        var f = CitationFeatureComputer.Compute(g, new CitationFeatureOptions { Features = CitationFeatureKinds.AllButBetweenness });
        var (same, other) = FieldShares.SameAndOther(g);
        Same(f.Column("same_field_citation_share"), same);
        Same(f.Column("other_field_citation_share"), other);
        var targets = Enumerable.Range(0, g.FieldNames.Count).ToArray();
        var refShares = FieldShares.ReferenceShares(g, targets);
        var citShares = FieldShares.CitingShares(g);
        for (int t = 0; t < targets.Length; t++)
        {
            Same(f.Column("reference_share:" + g.FieldNames[t]), refShares[t]);
            Same(f.Column("citation_share:" + g.FieldNames[t]), citShares[t]);
        }
        var (inf, bg, me, re) = FieldShares.IntentShares(g);
        Same(f.Column("influential_share"), inf);
        Same(f.Column("background_share"), bg);
        Same(f.Column("methodology_share"), me);
        Same(f.Column("result_share"), re);
        Same(f.Column("citations"), Enumerable.Range(0, g.NodeCount).Select(v => (double)g.CitationCount(v)).ToArray());
        Same(f.Column("core_number"), CoreNumber.Compute(g).Select(c => (double)c).ToArray());
        // The indexer and the vector read the same derived values.
        int paper = Enumerable.Range(0, g.NodeCount).First(v => g.CitationCount(v) > 3);
        f[paper, "same_field_citation_share"].Should().Be(same[paper]);
    }

    private static void Same(double[] actual, double[] expected)
    {
        actual.Length.Should().Be(expected.Length);
        for (int i = 0; i < actual.Length; i++)
            BitConverter.DoubleToInt64Bits(actual[i]).Should().Be(BitConverter.DoubleToInt64Bits(expected[i]), $"paper {i}");
    }
}

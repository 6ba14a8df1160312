using LLMML.Citations.Graphs;

namespace LLMML.Citations.Tests.Graphs;

public class CitationGraphTests
{
    [Fact]
    public void Edges_point_from_citing_to_cited_in_both_directions_of_the_index()
    {
        var b = new CitationGraphBuilder();
        b.AddCitation("new", "old");
        b.AddCitation("newer", "old");
        b.AddCitation("newer", "new");
        var g = b.Build();
        int old = g.IndexOf("old"), nw = g.IndexOf("new"), newer = g.IndexOf("newer");
        g.Cites(nw, old).Should().BeTrue();
        g.Cites(old, nw).Should().BeFalse();
        g.CitationCount(old).Should().Be(2);
        g.ReferenceCount(old).Should().Be(0);
        g.CitationsOf(old).ToArray().Should().BeEquivalentTo([nw, newer]);
        g.ReferencesOf(newer).ToArray().Should().BeEquivalentTo([old, nw]);
        g.EdgeCount.Should().Be(3);
    }

    [Fact]
    public void Self_citations_and_parallel_edges_are_counted_and_parallel_flags_merged()
    {
        var b = new CitationGraphBuilder();
        b.AddCitation("a", "b", EdgeFlags.Annotated | EdgeFlags.Background);
        b.AddCitation("a", "b", EdgeFlags.Annotated | EdgeFlags.Influential);
        b.AddCitation("a", "a");
        var g = b.Build();
        g.EdgeCount.Should().Be(1);
        b.DuplicateEdges.Should().Be(1);
        b.SelfCitations.Should().Be(1);
        g.ReferenceFlagsOf(g.IndexOf("a"))[0].Should().Be(EdgeFlags.Annotated | EdgeFlags.Background | EdgeFlags.Influential);
        g.CitationFlagsOf(g.IndexOf("b"))[0].Should().Be(EdgeFlags.Annotated | EdgeFlags.Background | EdgeFlags.Influential);
    }

    [Fact]
    public void Years_and_fields_are_kept_and_unknown_ones_reported_as_missing()
    {
        var b = new CitationGraphBuilder();
        int a = b.Paper("a");
        b.SetYear(a, 2020);
        b.SetField(a, "IA");
        b.Paper("b");
        var g = b.Build();
        g.YearOf(0).Should().Be(2020);
        g.FieldNameOf(0).Should().Be("IA");
        g.YearOf(1).Should().BeNull();
        g.FieldOf(1).Should().Be(-1);
    }

    [Fact]
    public void An_empty_id_is_rejected_with_a_clear_message()
    {
        var act = () => new CitationGraphBuilder().Paper("");
        act.Should().Throw<ArgumentException>().WithMessage("*paper id*");
    }
}

using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Loading;

public sealed class EdgeListLoaderTests : TemporaryFolderTest
{
    [Fact]
    public void Reads_citing_cited_pairs_with_comments_blanks_and_malformed_lines_counted()
    {
        var path = Path.Combine(Dir, "e.txt");
        File.WriteAllText(path, "# a comment\n1 2\r\n1\t3\n\n  2 3  \n4\n5 6 7\n3 3\n1 2\nW9 1\n007 1");
        var r = EdgeListLoader.Load(path);
        var g = r.Graph;
        r.Diagnostics.Records.Should().Be(7);
        r.Diagnostics.BlankLines.Should().Be(1);
        r.Diagnostics.MalformedCount.Should().Be(2);
        r.Diagnostics.Malformed.Select(m => m.Line).Should().Equal(6, 7);
        r.Diagnostics.SelfCitations.Should().Be(1);
        r.Diagnostics.DuplicateEdges.Should().Be(1);
        g.EdgeCount.Should().Be(5);
        g.Cites(g.IndexOf("1"), g.IndexOf("2")).Should().BeTrue();
        g.Cites(g.IndexOf("2"), g.IndexOf("3")).Should().BeTrue();
        g.Cites(g.IndexOf("W9"), g.IndexOf("1")).Should().BeTrue();
        g.Cites(g.IndexOf("007"), g.IndexOf("1")).Should().BeTrue(); // "007" is a string id, not 7
        g.IndexOf("7").Should().Be(-1);
    }

    [Fact]
    public void A_file_of_many_blocks_loads_as_a_sequential_read_would_and_round_trips()
    {
        var rng = new Random(5);
        var b = new LLMML.Citations.Graphs.CitationGraphBuilder();
        for (int i = 0; i < 3000; i++) b.Paper((long)i);
        for (int e = 0; e < 40_000; e++) b.AddCitation(rng.Next(3000), rng.Next(3000));
        var g = b.Build();
        var path = Path.Combine(Dir, "g.txt");
        EdgeListLoader.Write(g, path);
        int saved = EdgeListLoader.BlockBytes;
        try
        {
            EdgeListLoader.BlockBytes = 4096; // ~100 blocks, several rounds of parallel parsing
            var back = EdgeListLoader.Load(path).Graph;
            back.EdgeCount.Should().Be(g.EdgeCount);
            for (int u = 0; u < back.NodeCount; u++)
            {
                int v = g.IndexOf(back.PaperIds[u]);
                back.ReferencesOf(u).ToArray().Select(t => back.PaperIds[t]).Should().Equal(g.ReferencesOf(v).ToArray().Select(t => g.PaperIds[t]).Order(StringComparer.Ordinal).OrderBy(s => back.IndexOf(s)));
            }
        }
        finally
        {
            EdgeListLoader.BlockBytes = saved;
        }
    }

    [Fact]
    public void Indices_are_written_for_igraph_when_asked()
    {
        var b = new LLMML.Citations.Graphs.CitationGraphBuilder();
        b.AddCitation("x", "y");
        b.AddCitation("z", "x");
        var path = Path.Combine(Dir, "i.txt");
        EdgeListLoader.Write(b.Build(), path, indices: true);
        File.ReadAllText(path).Should().Be("0 1\n2 0\n");
    }

    [Fact]
    public void A_line_longer_than_a_block_is_an_error_naming_the_file_and_line()
    {
        var path = Path.Combine(Dir, "long.txt");
        File.WriteAllText(path, "1 2\n" + new string('9', 10_000) + " 1\n");
        int saved = EdgeListLoader.BlockBytes;
        try
        {
            EdgeListLoader.BlockBytes = 4096;
            var act = () => EdgeListLoader.Load(path);
            act.Should().Throw<InvalidDataException>().WithMessage($"{path}: line 2: *");
        }
        finally
        {
            EdgeListLoader.BlockBytes = saved;
        }
    }
}

using LLMML.Citations.Benchmarks;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Interchange;

/// <summary>The runner's reading of bench/igraph_peer.py's output (igraph itself is never needed by the tests).</summary>
public sealed class IgraphPeerTests : TemporaryFolderTest
{
    private const string Output = """{"igraph_version": "0.10.2", "vertices": 4, "edges": 5, "import_seconds": 0.1, "load_seconds": 0.25, "pagerank_seconds": 0.5, "pagerank_sum": 1.0, "top_vertex": 2, "top_pagerank": 0.33, "peak_megabytes": 19.5}""";

    [Fact]
    public void Reads_the_scripts_json()
    {
        var run = IgraphPeer.Parse(Output + "\n", processSeconds: 1.5);
        run.Should().Be(new IgraphRun("0.10.2", 4, 5, 0.1, 0.25, 0.5, 1.5, 19.5, 0.33));
        run.LoadAndPageRankSeconds.Should().Be(0.75);
    }

    [Theory]
    [InlineData("Traceback (most recent call last):", "*no JSON object*")]
    [InlineData("""{"error": "boom"}""", "*failed: boom*")]
    [InlineData("""{"igraph_version": "0.10.2", "vertices": 4}""", "*lacks the number 'edges'*")]
    [InlineData("[1, 2]", "*not a JSON object*")]
    public void Anything_else_is_a_clear_error(string stdout, string message)
    {
        var act = () => IgraphPeer.Parse(stdout, 1);
        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Ratios_are_medians_of_our_whole_process_over_igraphs_load_and_pagerank()
    {
        var peer = new PeerComparison("e.txt", 5,
            [new OwnRun(1.0, 0.9, 100), new OwnRun(3.0, 2.5, 100), new OwnRun(2.0, 1.8, 100)],
            [IgraphPeer.Parse(Output, 4.0), IgraphPeer.Parse(Output.Replace("\"load_seconds\": 0.25", "\"load_seconds\": 3.25"), 8.0)], null);
        peer.Ratio.Should().BeApproximately(2.0 / ((0.75 + 3.75) / 2), 1e-12);
        peer.WholeProcessRatio.Should().BeApproximately(2.0 / 6.0, 1e-12);
        new PeerComparison("e.txt", 5, [new OwnRun(1, 1, 1)], [], "igraph skipped").Ratio.Should().BeNull();
    }

    [Fact]
    public void A_missing_interpreter_or_script_is_a_note_not_a_failure()
    {
        var edges = Path.Combine(Dir, "e.txt");
        File.WriteAllText(edges, "0 1\n");
        IgraphPeer.Run(Path.Combine(Dir, "none.py"), edges, python: Path.Combine(Dir, "no-python")).Note.Should().Contain("not found");
        IgraphPeer.Run(Path.Combine(Dir, "none.py"), edges, python: "/bin/sh").Note.Should().Contain("missing");
    }

    [Fact]
    public void A_script_that_exits_with_3_means_igraph_is_not_installed()
    {
        var script = Path.Combine(Dir, "fake.sh");
        File.WriteAllText(script, "echo '{\"error\": \"python3-igraph is missing (no module)\"}'; exit 3\n");
        var (run, note) = IgraphPeer.Run(script, Path.Combine(Dir, "e.txt"), python: "/bin/sh");
        run.Should().BeNull();
        note.Should().Contain("python3-igraph is missing").And.Contain("apt-get install python3-igraph");
    }
}

using LLMML.Citations.Loading;
using LLMML.Citations.Synthetic;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Loading;

public sealed class LargeFileTests : TemporaryFolderTest
{
    [Fact]
    public void Malformed_lines_keep_their_numbers_across_parallel_batches()
    {
        var path = Path.Combine(Dir, "many.jsonl");
        var bad = new HashSet<int> { 7, 2048, 2049, 5000, 9999 };
        using (var w = new StreamWriter(path))
            for (int line = 1; line <= 10_000; line++)
                w.WriteLine(bad.Contains(line) ? "{\"paper_id\": " : $"{{\"paper_id\": \"p{line}\", \"outbound_citations\": [\"p{line - 1}\"]}}");
        var r = S2orcLoader.Load(path);
        r.Diagnostics.Records.Should().Be(10_000);
        r.Diagnostics.Malformed.Select(m => m.Line).Should().Equal(bad.Order().Select(x => (long)x));
        r.Graph.EdgeCount.Should().Be(10_000 - bad.Count);
        // Paper order follows the file, whatever the thread timing: p1 cites p0, so p1 is index 0 and p0 index 1.
        r.Graph.PaperIds[0].Should().Be("p1");
        r.Graph.PaperIds[1].Should().Be("p0");
    }

    [Fact]
    public void A_synthetic_graph_survives_the_s2_jsonl_round_trip_with_its_flags()
    {
        var s = AclLikeGraphGenerator.Generate(new AclLikeGraphOptions { Seeds = 200, Nodes = 3000, Edges = 12000, RandomSeed = 9 });
        var path = Path.Combine(Dir, "synthetic.jsonl");
        SemanticScholarJsonl.Write(s.Graph, path);
        var r = SemanticScholarLoader.Load(path, new CitationLoadOptions { FieldProperty = SemanticScholarJsonl.FieldProperty });
        r.Diagnostics.MalformedCount.Should().Be(0);
        var a = s.Graph;
        var b = r.Graph;
        b.NodeCount.Should().Be(a.NodeCount);
        b.EdgeCount.Should().Be(a.EdgeCount);
        for (int u = 0; u < a.NodeCount; u++)
        {
            int v = b.IndexOf(a.PaperIds[u]);
            b.YearOf(v).Should().Be(a.YearOf(u));
            b.FieldNameOf(v).Should().Be(a.FieldNameOf(u));
            var refsA = a.ReferencesOf(u).ToArray().Select((t, e) => (a.PaperIds[t], a.ReferenceFlagsOf(u)[e])).OrderBy(x => x.Item1, StringComparer.Ordinal);
            var refsB = b.ReferencesOf(v).ToArray().Select((t, e) => (b.PaperIds[t], b.ReferenceFlagsOf(v)[e])).OrderBy(x => x.Item1, StringComparer.Ordinal);
            refsB.Should().Equal(refsA);
        }
    }

    [Fact]
    public void A_json_array_broken_midway_reports_where_reading_stopped()
    {
        var path = Path.Combine(Dir, "broken.json");
        File.WriteAllText(path, "[{\"paperId\": \"A\", \"references\": [{\"paperId\": \"B\"}]},\n {\"paperId\": \"C\", \"references\": [ }");
        var r = SemanticScholarLoader.Load(path);
        r.Graph.Cites(r.Graph.IndexOf("A"), r.Graph.IndexOf("B")).Should().BeTrue();
        r.Diagnostics.Malformed.Should().ContainSingle().Which.Message.Should().Contain("rest of the file was not read");
    }

    [Fact]
    public void A_json_array_with_elements_larger_than_the_read_buffer_streams_whole()
    {
        var path = Path.Combine(Dir, "big.json");
        var elements = Enumerable.Range(0, 6).Select(i =>
            $"{{\"paperId\": \"P{i}\", \"references\": [{string.Join(", ", Enumerable.Range(0, 8000).Select(j => $"{{\"paperId\": \"R{i}_{j}\"}}"))}]}}");
        File.WriteAllText(path, "[\n" + string.Join(",\n", elements) + "\n]\n");
        new FileInfo(path).Length.Should().BeGreaterThan(6 * 65536 / 2);
        var r = SemanticScholarLoader.Load(path);
        r.Diagnostics.MalformedCount.Should().Be(0);
        r.Diagnostics.Records.Should().Be(6);
        r.Graph.EdgeCount.Should().Be(6 * 8000);
        r.Graph.ReferenceCount(r.Graph.IndexOf("P5")).Should().Be(8000);
    }

    [Fact]
    public void Loading_can_be_cancelled()
    {
        var path = Path.Combine(Dir, "cancel.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, 5000).Select(i => $"{{\"paper_id\": \"p{i}\"}}"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var act = () => S2orcLoader.Load(path, cancellationToken: cts.Token);
        act.Should().Throw<OperationCanceledException>();
    }
}

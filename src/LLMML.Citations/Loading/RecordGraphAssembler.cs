using System.Text.Json;
using LLMML.Citations.Graphs;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Loading;

/// <summary>
/// What every record-based loader (S2, S2ORC, OpenAlex) does around its own parsing: commit records to one graph
/// builder in file order, count links without an id (from parallel parse batches), and finish the diagnostics.
/// </summary>
internal sealed class RecordGraphAssembler
{
    /// <summary>
    /// Loads a JSON source whose records <paramref name="parse"/> turns into papers (returning the links that name no
    /// paper); <paramref name="fastParse"/>, when given, is tried first on each JSONL line (see <see cref="JsonRecordReader"/>).
    /// </summary>
    public static GraphLoadResult Load(string path, CitationLoadOptions? options, Func<JsonElement, List<PaperRecord>, int> parse,
        IProgress<ProgressUpdate>? progress, CancellationToken ct, Func<ReadOnlyMemory<byte>, List<PaperRecord>, int?>? fastParse = null)
    {
        var graph = new RecordGraphAssembler();
        JsonRecordReader.Read(path, options?.MaxLineBytes ?? CitationLoadOptions.DefaultMaxLineBytes, graph.Diagnostics,
            graph.Counting(parse), graph.Commit, progress, ct,
            fastParse is null ? null : (line, papers) =>
            {
                if (fastParse(line, papers) is not { } missing) return false;
                graph.AddUnresolved(missing);
                return true;
            });
        return graph.Finish();
    }

    private readonly CitationGraphBuilder _builder = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private long _unresolved;

    public LoadDiagnostics Diagnostics { get; } = new();

    /// <summary><paramref name="parse"/> with the links it found unresolved counted here.</summary>
    public Action<JsonElement, List<PaperRecord>> Counting(Func<JsonElement, List<PaperRecord>, int> parse) =>
        (element, papers) => AddUnresolved(parse(element, papers));

    /// <summary>Adds a parsed record (called in file order).</summary>
    public void Commit(PaperRecord record) => record.CommitTo(_builder, Diagnostics, _seen);

    /// <summary>Counts links that name no paper; safe from parallel parse batches.</summary>
    public void AddUnresolved(long links)
    {
        if (links > 0) Interlocked.Add(ref _unresolved, links);
    }

    /// <summary>Builds the graph and completes the diagnostics.</summary>
    public GraphLoadResult Finish()
    {
        Diagnostics.UnresolvedLinks += _unresolved;
        var graph = _builder.Build();
        Diagnostics.SelfCitations = _builder.SelfCitations;
        Diagnostics.DuplicateEdges = _builder.DuplicateEdges;
        return new GraphLoadResult(graph, Diagnostics);
    }
}

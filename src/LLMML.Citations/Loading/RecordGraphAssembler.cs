using LLMML.Citations.Graphs;

namespace LLMML.Citations.Loading;

/// <summary>
/// What every record-based loader (S2, S2ORC, OpenAlex) does around its own parsing: commit records to one graph
/// builder in file order, count links without an id (from parallel parse batches), and finish the diagnostics.
/// </summary>
internal sealed class RecordGraphAssembler
{
    private readonly CitationGraphBuilder _builder = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private long _unresolved;

    public LoadDiagnostics Diagnostics { get; } = new();

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

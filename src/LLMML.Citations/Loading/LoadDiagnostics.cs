namespace LLMML.Citations.Loading;

/// <summary>One record a loader could not use, with where it was.</summary>
/// <param name="Line">1-based line number (JSONL, text) or 1-based record number (JSON array).</param>
/// <param name="Message">What was wrong.</param>
/// <param name="File">For sources of several files (an OpenAlex snapshot): the file, relative to the source; else null.</param>
public sealed record MalformedRecord(long Line, string Message, string? File = null);

/// <summary>
/// What a loader saw besides the graph: records read, records it could not use (with line numbers),
/// self-citations dropped and parallel edges merged. Nothing is dropped without being counted here.
/// </summary>
public sealed class LoadDiagnostics
{
    /// <summary>At most this many malformed records are kept with their messages; all are counted.</summary>
    public const int MaxKeptIssues = 1000;

    private readonly List<MalformedRecord> _issues = [];

    /// <summary>Records (lines, array elements, text pairs) read.</summary>
    public long Records { get; internal set; }

    /// <summary>Records that could not be used, all of them counted.</summary>
    public long MalformedCount { get; private set; }

    /// <summary>The first <see cref="MaxKeptIssues"/> malformed records.</summary>
    public IReadOnlyList<MalformedRecord> Malformed => _issues;

    /// <summary>Papers described by more than one record (merged).</summary>
    public long DuplicateRecords { get; internal set; }

    /// <summary>Self-citations dropped.</summary>
    public long SelfCitations { get; internal set; }

    /// <summary>Edges seen more than once (e.g. from both papers' records) and merged.</summary>
    public long DuplicateEdges { get; internal set; }

    /// <summary>Links whose other end has no id (e.g. Semantic Scholar's unresolved <c>paperId: null</c>); not an error.</summary>
    public long UnresolvedLinks { get; internal set; }

    /// <summary>Blank lines skipped (not an error).</summary>
    public long BlankLines { get; internal set; }

    /// <summary>The file being read, for sources of several files (stamped on the malformed records reported meanwhile).</summary>
    internal string? CurrentFile { get; set; }

    internal void Report(long line, string message)
    {
        MalformedCount++;
        if (_issues.Count < MaxKeptIssues) _issues.Add(new MalformedRecord(line, message, CurrentFile));
    }

    /// <summary>A one-line summary.</summary>
    public override string ToString() =>
        $"{Records} records, {MalformedCount} malformed, {DuplicateRecords} duplicate records, {DuplicateEdges} duplicate edges, {SelfCitations} self-citations, {UnresolvedLinks} unresolved links";
}

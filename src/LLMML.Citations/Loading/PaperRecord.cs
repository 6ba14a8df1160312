using LLMML.Citations.Graphs;

namespace LLMML.Citations.Loading;

/// <summary>
/// One paper as a source describes it, validated before anything reaches the graph builder so a
/// malformed record is rejected whole.
/// </summary>
internal sealed class PaperRecord
{
    public string? Id;
    /// <summary>A bare edge (S2 citations dataset): adds links, is not a paper record (not counted as a duplicate).</summary>
    public bool IsEdge;
    public int? Year;
    public string? Field;
    /// <summary>Papers this one cites, with what the source says about each link.</summary>
    public readonly List<LinkedPaper> References = [];
    /// <summary>Papers citing this one.</summary>
    public readonly List<LinkedPaper> Citations = [];

    /// <summary>Adds the record to the builder (citing → cited), merging with earlier mentions of the same papers.</summary>
    public void CommitTo(CitationGraphBuilder builder, LoadDiagnostics diagnostics, HashSet<string> seenRecords)
    {
        if (Id is null) throw new InvalidOperationException("A record without id cannot be committed.");
        if (!IsEdge && !seenRecords.Add(Id)) diagnostics.DuplicateRecords++;
        int self = builder.Paper(Id);
        builder.SetYear(self, Year);
        builder.SetField(self, Field);
        foreach (var r in References) builder.AddCitation(self, Link(builder, r), r.Flags);
        foreach (var c in Citations) builder.AddCitation(Link(builder, c), self, c.Flags);
    }

    private static int Link(CitationGraphBuilder builder, LinkedPaper p)
    {
        int i = builder.Paper(p.Id);
        builder.SetYear(i, p.Year);
        builder.SetField(i, p.Field);
        return i;
    }
}

/// <summary>The other end of a link, with whatever metadata the source nested into it.</summary>
internal readonly record struct LinkedPaper(string Id, EdgeFlags Flags, int? Year = null, string? Field = null);

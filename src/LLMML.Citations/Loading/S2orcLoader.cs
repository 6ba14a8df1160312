using System.Text.Json;
using LLMML.Citations.Graphs;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Loading;

/// <summary>
/// Reads S2ORC metadata JSONL: <c>paper_id</c>, <c>year</c>, a field (default <c>mag_field_of_study</c>),
/// <c>outbound_citations</c> (ids this paper cites) and <c>inbound_citations</c> (ids citing it), streaming.
/// </summary>
public static class S2orcLoader
{
    /// <summary>Default field property.</summary>
    public const string DefaultFieldProperty = "mag_field_of_study";

    /// <summary>Loads a JSONL (or JSON array) file.</summary>
    public static GraphLoadResult Load(string path, CitationLoadOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var fieldPath = options?.FieldProperty ?? DefaultFieldProperty;
        var builder = new CitationGraphBuilder();
        var diagnostics = new LoadDiagnostics();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var record = new PaperRecord();
        JsonRecordReader.Read(path, diagnostics, element =>
        {
            record.Clear();
            record.Id = JsonFields.Id(element, "paper_id") ?? throw new FormatException("record has no 'paper_id'");
            record.Year = JsonFields.Year(element, "year");
            record.Field = JsonFields.Field(element, fieldPath);
            Ids(element, "outbound_citations", record.References, diagnostics);
            Ids(element, "inbound_citations", record.Citations, diagnostics);
            record.CommitTo(builder, diagnostics, seen);
        }, progress, cancellationToken);
        var graph = builder.Build();
        diagnostics.SelfCitations = builder.SelfCitations;
        diagnostics.DuplicateEdges = builder.DuplicateEdges;
        return new GraphLoadResult(graph, diagnostics);
    }

    private static void Ids(JsonElement record, string property, List<LinkedPaper> into, LoadDiagnostics d)
    {
        if (JsonFields.Array(record, property) is not { } ids) return;
        foreach (var id in ids.EnumerateArray())
        {
            switch (id.ValueKind)
            {
                case JsonValueKind.String when id.GetString() is { Length: > 0 } s: into.Add(new LinkedPaper(s, EdgeFlags.None)); break;
                case JsonValueKind.Number: into.Add(new LinkedPaper(id.GetRawText(), EdgeFlags.None)); break;
                case JsonValueKind.Null: d.UnresolvedLinks++; break;
                default: throw new FormatException($"'{property}' should hold paper ids, found {id.ValueKind}");
            }
        }
    }
}

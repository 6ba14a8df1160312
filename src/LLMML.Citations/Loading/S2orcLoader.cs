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
        var fieldParts = fieldPath.Split('.');
        var graph = new RecordGraphAssembler();
        JsonRecordReader.Read(path, graph.Diagnostics, (element, papers) =>
        {
            var record = new PaperRecord
            {
                Id = JsonFields.Id(element, "paper_id") ?? throw new FormatException("record has no 'paper_id'"),
                Year = JsonFields.Year(element, "year"),
                Field = JsonFields.Field(element, fieldParts, fieldPath),
            };
            int missing = Ids(element, "outbound_citations", record.References) + Ids(element, "inbound_citations", record.Citations);
            graph.AddUnresolved(missing);
            papers.Add(record);
        }, graph.Commit, progress, cancellationToken);
        return graph.Finish();
    }

    // Returns the number of null ids.
    private static int Ids(JsonElement record, string property, List<LinkedPaper> into)
    {
        if (JsonFields.Array(record, property) is not { } ids) return 0;
        int unresolved = 0;
        foreach (var id in ids.EnumerateArray())
        {
            switch (id.ValueKind)
            {
                case JsonValueKind.String when id.GetString() is { Length: > 0 } s: into.Add(new LinkedPaper(s, EdgeFlags.None)); break;
                case JsonValueKind.Number: into.Add(new LinkedPaper(id.GetRawText(), EdgeFlags.None)); break;
                case JsonValueKind.Null: unresolved++; break;
                default: throw new FormatException($"'{property}' should hold paper ids, found {id.ValueKind}");
            }
        }
        return unresolved;
    }
}

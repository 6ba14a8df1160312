using System.Text.Json;
using LLMML.Citations.Graphs;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Loading;

/// <summary>
/// Reads OpenAlex works (JSONL snapshot lines, a JSON array, or an API page with <c>results</c>): <c>id</c>,
/// <c>publication_year</c>, <c>referenced_works</c> and the field of <c>primary_topic</c> (else the first of
/// <c>topics</c>). Ids lose their <c>https://openalex.org/</c> prefix, so <c>W2741809807</c> names a work.
/// </summary>
public static class OpenAlexLoader
{
    private const string Prefix = "https://openalex.org/";

    /// <summary>Loads a file.</summary>
    public static GraphLoadResult Load(string path, CitationLoadOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var fieldPath = options?.FieldProperty;
        var fieldParts = fieldPath?.Split('.');
        var graph = new RecordGraphAssembler();
        void Parse(JsonElement element, List<PaperRecord> papers)
        {
            if (element.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array && !element.TryGetProperty("id", out _))
            {
                foreach (var work in results.EnumerateArray()) Parse(work, papers);
                return;
            }
            var record = new PaperRecord
            {
                Id = Strip(JsonFields.Id(element, "id")) ?? throw new FormatException("work has no 'id'"),
                Year = JsonFields.Year(element, "publication_year"),
                Field = fieldParts is not null ? JsonFields.Field(element, fieldParts, fieldPath!)
                    : JsonFields.Field(element, "primary_topic.field.display_name") ?? JsonFields.Field(element, "topics.field.display_name"),
            };
            if (JsonFields.Array(element, "referenced_works") is { } refs)
                foreach (var r in refs.EnumerateArray())
                {
                    if (r.ValueKind == JsonValueKind.Null) { graph.AddUnresolved(1); continue; }
                    if (r.ValueKind != JsonValueKind.String) throw new FormatException($"'referenced_works' should hold work ids, found {r.ValueKind}");
                    record.References.Add(new LinkedPaper(Strip(r.GetString())!, EdgeFlags.None));
                }
            papers.Add(record);
        }
        JsonRecordReader.Read(path, graph.Diagnostics, Parse, graph.Commit, progress, cancellationToken);
        return graph.Finish();
    }

    private static string? Strip(string? id) =>
        id is not null && id.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? id[Prefix.Length..] : id;
}

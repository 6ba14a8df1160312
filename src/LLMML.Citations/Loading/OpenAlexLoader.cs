using System.Text.Json;
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

    private static readonly LinkReading WorkIds = new(null, ["id"], Normalize: Strip);

    /// <summary>Loads a file.</summary>
    public static GraphLoadResult Load(string path, CitationLoadOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        RecordGraphAssembler.Load(path, options, Parser(options), progress, cancellationToken);

    /// <summary>The record parser (shared with the snapshot reader): papers into the list, unresolved links returned.</summary>
    internal static Func<JsonElement, List<PaperRecord>, int> Parser(CitationLoadOptions? options)
    {
        var fieldPath = options?.FieldProperty;
        var fieldParts = fieldPath?.Split('.');
        int Parse(JsonElement element, List<PaperRecord> papers)
        {
            if (element.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array && !element.TryGetProperty("id", out _))
                return results.EnumerateArray().Sum(work => Parse(work, papers));
            var record = new PaperRecord
            {
                Id = Strip(JsonFields.Id(element, "id") ?? throw new FormatException("work has no 'id'")),
                Year = JsonFields.Year(element, "publication_year"),
                Field = fieldParts is not null ? JsonFields.Field(element, fieldParts, fieldPath!)
                    : JsonFields.Field(element, "primary_topic.field.display_name") ?? JsonFields.Field(element, "topics.field.display_name"),
            };
            papers.Add(record);
            return JsonFields.Links(element, "referenced_works", record.References, WorkIds);
        }
        return Parse;
    }

    private static string Strip(string id) =>
        id.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? id[Prefix.Length..] : id;
}

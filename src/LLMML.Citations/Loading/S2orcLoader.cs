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

    private static readonly LinkReading BareIds = new(null, []);

    /// <summary>Loads a JSONL (or JSON array) file.</summary>
    public static GraphLoadResult Load(string path, CitationLoadOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var fieldPath = options?.FieldProperty ?? DefaultFieldProperty;
        var fieldParts = fieldPath.Split('.');
        return RecordGraphAssembler.Load(path, options, (element, papers) =>
        {
            var record = new PaperRecord
            {
                Id = JsonFields.Id(element, "paper_id") ?? throw new FormatException("record has no 'paper_id'"),
                Year = JsonFields.Year(element, "year"),
                Field = JsonFields.Field(element, fieldParts, fieldPath),
            };
            papers.Add(record);
            return JsonFields.Links(element, "outbound_citations", record.References, BareIds)
                + JsonFields.Links(element, "inbound_citations", record.Citations, BareIds);
        }, progress, cancellationToken);
    }
}

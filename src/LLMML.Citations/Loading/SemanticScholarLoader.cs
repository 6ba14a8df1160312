using System.Text.Json;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Loading;

/// <summary>
/// Reads Semantic Scholar records, streaming:
/// <list type="bullet">
/// <item>Graph API papers: <c>paperId</c> (or <c>corpusId</c>), <c>year</c>, <c>venue</c>, a field, and
/// <c>references</c> / <c>citations</c> whose entries are either papers (<c>{"paperId": ...}</c>) or
/// link objects (<c>{"citedPaper"|"citingPaper": {...}, "isInfluential": bool, "intents": [...]}</c>).</item>
/// <item>The S2 citations dataset's edge records: <c>citingcorpusid</c>, <c>citedcorpusid</c>, <c>isinfluential</c>, <c>intents</c>.</item>
/// </list>
/// Semantic Scholar's own files store links cited → citing; the graph stores citing → cited.
/// </summary>
public static class SemanticScholarLoader
{
    /// <summary>Default field property: the Graph API's <c>fieldsOfStudy</c>.</summary>
    public const string DefaultFieldProperty = "fieldsOfStudy";

    /// <summary>Loads a JSON or JSONL file.</summary>
    public static GraphLoadResult Load(string path, CitationLoadOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var fieldPath = options?.FieldProperty ?? DefaultFieldProperty;
        var fieldParts = fieldPath.Split('.');
        var cited = new LinkReading("citedPaper", ["paperId", "corpusId"], fieldParts, fieldPath);
        var citing = cited with { Wrapper = "citingPaper" };
        return RecordGraphAssembler.Load(path, options, (element, papers) =>
        {
            if (element.TryGetProperty("citingcorpusid", out _))
            {
                if (ReadEdgeRecord(element) is not { } edge) return 1;
                papers.Add(edge);
                return 0;
            }
            var record = new PaperRecord
            {
                Id = JsonFields.Id(element, "paperId") ?? JsonFields.Id(element, "corpusId") ?? JsonFields.Id(element, "corpusid")
                    ?? throw new FormatException("record has no 'paperId' (or 'corpusId')"),
                Year = JsonFields.Year(element, "year"),
                Field = JsonFields.Field(element, fieldParts, fieldPath),
            };
            papers.Add(record);
            return JsonFields.Links(element, "references", record.References, cited)
                + JsonFields.Links(element, "citations", record.Citations, citing);
        }, progress, cancellationToken, (line, papers) =>
        {
            if (SemanticScholarFastParser.TryParse(line.Span, fieldPath, out int missing) is not { } fast) return null;
            papers.Add(fast);
            return missing;
        });
    }

    private static PaperRecord? ReadEdgeRecord(JsonElement e)
    {
        var citing = JsonFields.Id(e, "citingcorpusid");
        var cited = JsonFields.Id(e, "citedcorpusid");
        if (citing is null || cited is null) return null;
        var edge = new PaperRecord { Id = citing, IsEdge = true };
        edge.References.Add(new LinkedPaper(cited, JsonFields.LinkFlags(e, "isinfluential", "intents")));
        return edge;
    }
}

using System.Text.Json;
using LLMML.Citations.Graphs;
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
        var graph = new RecordGraphAssembler();
        JsonRecordReader.Read(path, graph.Diagnostics, (element, papers) =>
        {
            if (element.TryGetProperty("citingcorpusid", out _))
            {
                if (ReadEdgeRecord(element) is { } edge) papers.Add(edge);
                else graph.AddUnresolved(1);
                return;
            }
            var record = new PaperRecord
            {
                Id = JsonFields.Id(element, "paperId") ?? JsonFields.Id(element, "corpusId") ?? JsonFields.Id(element, "corpusid")
                    ?? throw new FormatException("record has no 'paperId' (or 'corpusId')"),
                Year = JsonFields.Year(element, "year"),
                Field = JsonFields.Field(element, fieldParts, fieldPath),
            };
            int missing = ReadLinks(element, "references", "citedPaper", record.References, fieldParts, fieldPath)
                + ReadLinks(element, "citations", "citingPaper", record.Citations, fieldParts, fieldPath);
            graph.AddUnresolved(missing);
            papers.Add(record);
        }, graph.Commit, progress, cancellationToken, (line, papers) =>
        {
            if (SemanticScholarFastParser.TryParse(line.Span, fieldPath, out int missing) is not { } fast) return false;
            graph.AddUnresolved(missing);
            papers.Add(fast);
            return true;
        });
        return graph.Finish();
    }

    // Returns the number of unresolved links (no id).
    private static int ReadLinks(JsonElement record, string property, string wrapper, List<LinkedPaper> into, string[] fieldParts, string fieldPath)
    {
        if (JsonFields.Array(record, property) is not { } links) return 0;
        int i = 0, unresolved = 0;
        foreach (var link in links.EnumerateArray())
        {
            if (link.ValueKind != JsonValueKind.Object) throw new FormatException($"'{property}[{i}]' should be an object, found {link.ValueKind}");
            var paper = link.TryGetProperty(wrapper, out var nested) ? nested : link;
            if (paper.ValueKind == JsonValueKind.Null) { unresolved++; i++; continue; }
            var id = JsonFields.Id(paper, "paperId") ?? JsonFields.Id(paper, "corpusId");
            if (id is null) { unresolved++; i++; continue; }
            into.Add(new LinkedPaper(id, Flags(link, "isInfluential", "intents"), JsonFields.Year(paper, "year"), JsonFields.Field(paper, fieldParts, fieldPath)));
            i++;
        }
        return unresolved;
    }

    private static PaperRecord? ReadEdgeRecord(JsonElement e)
    {
        var citing = JsonFields.Id(e, "citingcorpusid");
        var cited = JsonFields.Id(e, "citedcorpusid");
        if (citing is null || cited is null) return null;
        var edge = new PaperRecord { Id = citing, IsEdge = true };
        edge.References.Add(new LinkedPaper(cited, Flags(e, "isinfluential", "intents")));
        return edge;
    }

    /// <summary>Influence and intents of one link; intents may be a list of strings or (per context) a list of lists.</summary>
    internal static EdgeFlags Flags(JsonElement link, string influentialName, string intentsName)
    {
        var flags = EdgeFlags.None;
        if (link.TryGetProperty(influentialName, out var inf) && inf.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            flags |= EdgeFlags.Annotated;
            if (inf.ValueKind == JsonValueKind.True) flags |= EdgeFlags.Influential;
        }
        if (link.TryGetProperty(intentsName, out var intents) && intents.ValueKind == JsonValueKind.Array)
        {
            flags |= EdgeFlags.Annotated | Intents(intents);
        }
        return flags;
    }

    private static EdgeFlags Intents(JsonElement array)
    {
        var flags = EdgeFlags.None;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array) { flags |= Intents(item); continue; }
            if (item.ValueKind != JsonValueKind.String) throw new FormatException($"intent should be a string, found {item.ValueKind}");
            // ValueEquals compares the UTF-8 bytes in place: no string per intent on a dump with millions of them.
            if (item.ValueEquals("background"u8) || item.ValueEquals("Background"u8)) flags |= EdgeFlags.Background;
            else if (item.ValueEquals("methodology"u8) || item.ValueEquals("Methodology"u8)) flags |= EdgeFlags.Methodology;
            else if (item.ValueEquals("result"u8) || item.ValueEquals("result comparison"u8) || item.ValueEquals("Result"u8)) flags |= EdgeFlags.Result;
            // other intents (none known today) count as annotated without a class
        }
        return flags;
    }
}

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
        var builder = new CitationGraphBuilder();
        var diagnostics = new LoadDiagnostics();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var record = new PaperRecord();
        JsonRecordReader.Read(path, diagnostics, element =>
        {
            if (element.TryGetProperty("citingcorpusid", out _))
            {
                ReadEdgeRecord(element, builder, diagnostics);
                return;
            }
            record.Clear();
            record.Id = JsonFields.Id(element, "paperId") ?? JsonFields.Id(element, "corpusId") ?? JsonFields.Id(element, "corpusid")
                ?? throw new FormatException("record has no 'paperId' (or 'corpusId')");
            record.Year = JsonFields.Year(element, "year");
            record.Field = JsonFields.Field(element, fieldPath);
            ReadLinks(element, "references", "citedPaper", record.References, fieldPath, diagnostics);
            ReadLinks(element, "citations", "citingPaper", record.Citations, fieldPath, diagnostics);
            record.CommitTo(builder, diagnostics, seen);
        }, progress, cancellationToken);
        var graph = builder.Build();
        diagnostics.SelfCitations = builder.SelfCitations;
        diagnostics.DuplicateEdges = builder.DuplicateEdges;
        return new GraphLoadResult(graph, diagnostics);
    }

    private static void ReadLinks(JsonElement record, string property, string wrapper, List<LinkedPaper> into, string fieldPath, LoadDiagnostics d)
    {
        if (JsonFields.Array(record, property) is not { } links) return;
        int i = 0;
        foreach (var link in links.EnumerateArray())
        {
            if (link.ValueKind != JsonValueKind.Object) throw new FormatException($"'{property}[{i}]' should be an object, found {link.ValueKind}");
            var paper = link.TryGetProperty(wrapper, out var nested) ? nested : link;
            if (paper.ValueKind == JsonValueKind.Null) { d.UnresolvedLinks++; i++; continue; }
            var id = JsonFields.Id(paper, "paperId") ?? JsonFields.Id(paper, "corpusId");
            if (id is null) { d.UnresolvedLinks++; i++; continue; }
            into.Add(new LinkedPaper(id, Flags(link, "isInfluential", "intents"), JsonFields.Year(paper, "year"), JsonFields.Field(paper, fieldPath)));
            i++;
        }
    }

    private static void ReadEdgeRecord(JsonElement e, CitationGraphBuilder builder, LoadDiagnostics d)
    {
        var citing = JsonFields.Id(e, "citingcorpusid");
        var cited = JsonFields.Id(e, "citedcorpusid");
        if (citing is null || cited is null) { d.UnresolvedLinks++; return; }
        builder.AddCitation(citing, cited, Flags(e, "isinfluential", "intents"));
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
            var s = item.GetString();
            if (string.Equals(s, "background", StringComparison.OrdinalIgnoreCase)) flags |= EdgeFlags.Background;
            else if (string.Equals(s, "methodology", StringComparison.OrdinalIgnoreCase)) flags |= EdgeFlags.Methodology;
            else if (s is not null && s.StartsWith("result", StringComparison.OrdinalIgnoreCase)) flags |= EdgeFlags.Result;
            // other intents (none known today) count as annotated without a class
        }
        return flags;
    }
}

using System.Text.Json;
using LLMML.Citations.Graphs;
using LLMML.Foundation.Persistence;

namespace LLMML.Citations.Loading;

/// <summary>
/// Writes a graph as Semantic Scholar Graph API-style JSONL (one paper a line with its references as link objects
/// carrying <c>isInfluential</c> and <c>intents</c>, and its field under <see cref="FieldProperty"/>), which
/// <see cref="SemanticScholarLoader"/> reads back. Used for benchmarks and for exporting synthetic graphs.
/// </summary>
public static class SemanticScholarJsonl
{
    /// <summary>Property the field is written to.</summary>
    public const string FieldProperty = "track";

    /// <summary>Writes <paramref name="graph"/> to <paramref name="path"/>.</summary>
    public static void Write(CitationGraph graph, string path) => AtomicFile.Write(path, raw =>
    {
        var stream = new BufferedStream(raw, 1 << 16); // flushed, not disposed: AtomicFile owns the file

        using var json = new Utf8JsonWriter(stream);
        for (int u = 0; u < graph.NodeCount; u++)
        {
            json.Reset();
            json.WriteStartObject();
            json.WriteString("paperId", graph.PaperIds[u]);
            if (graph.YearOf(u) is { } year) json.WriteNumber("year", year);
            if (graph.FieldNameOf(u) is { } field) json.WriteString(FieldProperty, field);
            json.WriteStartArray("references");
            var refs = graph.ReferencesOf(u);
            var flags = graph.ReferenceFlagsOf(u);
            for (int e = 0; e < refs.Length; e++)
            {
                json.WriteStartObject();
                json.WriteStartObject("citedPaper");
                json.WriteString("paperId", graph.PaperIds[refs[e]]);
                json.WriteEndObject();
                if ((flags[e] & EdgeFlags.Annotated) != 0)
                {
                    json.WriteBoolean("isInfluential", (flags[e] & EdgeFlags.Influential) != 0);
                    json.WriteStartArray("intents");
                    if ((flags[e] & EdgeFlags.Background) != 0) json.WriteStringValue("background");
                    if ((flags[e] & EdgeFlags.Methodology) != 0) json.WriteStringValue("methodology");
                    if ((flags[e] & EdgeFlags.Result) != 0) json.WriteStringValue("result");
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            stream.WriteByte((byte)'\n');
        }
        stream.Flush();
    });
}

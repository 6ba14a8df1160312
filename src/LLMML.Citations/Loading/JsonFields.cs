using System.Globalization;
using System.Text.Json;
using LLMML.Citations.Graphs;

namespace LLMML.Citations.Loading;

/// <summary>Typed reads of record properties that throw <see cref="FormatException"/> naming the property.</summary>
internal static class JsonFields
{
    /// <summary>A string or integer id (null when absent or JSON null).</summary>
    public static string? Id(JsonElement record, string name)
    {
        if (!record.TryGetProperty(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new FormatException($"'{name}' should be a string id, found {v.ValueKind}"),
        };
    }

    /// <summary>An optional year: integer, or a string holding one.</summary>
    public static int? Year(JsonElement record, string name)
    {
        if (!record.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var y)) return CheckYear(name, y);
        if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out y)) return CheckYear(name, y);
        throw new FormatException($"'{name}' should be a year, found {v.GetRawText()}");
    }

    private static int CheckYear(string name, int y) =>
        y is >= 1000 and <= 3000 ? y : throw new FormatException($"'{name}' = {y} is not a plausible year");

    /// <summary>An optional array property (null when absent or JSON null).</summary>
    public static JsonElement? Array(JsonElement record, string name)
    {
        if (!record.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array) throw new FormatException($"'{name}' should be an array, found {v.ValueKind}");
        return v;
    }

    /// <summary>
    /// A field label at a dotted path: a string as is, an array's first element, an object's
    /// <c>display_name</c>, <c>category</c> or <c>name</c>. Null when absent.
    /// </summary>
    public static string? Field(JsonElement record, string path) => Field(record, path.Split('.'), path);

    /// <summary><see cref="Field(JsonElement, string)"/> with the path split once by the caller.</summary>
    public static string? Field(JsonElement record, string[] parts, string path)
    {
        var current = record;
        foreach (var part in parts)
        {
            if (current.ValueKind == JsonValueKind.Array) current = First(current);
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current)) return null;
        }
        return Label(current, path);
    }

    private static JsonElement First(JsonElement array)
    {
        foreach (var e in array.EnumerateArray()) return e;
        return default;
    }

    private static string? Label(JsonElement v, string path) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.Array => Label(First(v), path),
        JsonValueKind.Object => v.TryGetProperty("display_name", out var n) || v.TryGetProperty("category", out n) || v.TryGetProperty("name", out n)
            ? Label(n, path) : throw new FormatException($"field property '{path}' is an object without display_name/category/name"),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => throw new FormatException($"field property '{path}' should be a string, found {v.ValueKind}"),
    };

    /// <summary>
    /// Reads the link array <paramref name="property"/> into <paramref name="into"/>, whatever each source puts in it:
    /// bare ids (S2ORC's strings or numbers, OpenAlex's URLs), paper objects (<c>{"paperId": ...}</c>) or link objects
    /// that wrap the paper in <see cref="LinkReading.Wrapper"/> and carry <c>isInfluential</c> / <c>intents</c> (Semantic
    /// Scholar). Returns the number of links that name no paper (null ids), which are not errors.
    /// </summary>
    public static int Links(JsonElement record, string property, List<LinkedPaper> into, LinkReading how)
    {
        if (Array(record, property) is not { } links) return 0;
        int i = 0, unresolved = 0;
        foreach (var link in links.EnumerateArray())
        {
            switch (link.ValueKind)
            {
                case JsonValueKind.Null:
                    unresolved++;
                    break;
                case JsonValueKind.String or JsonValueKind.Number:
                    if (Id(link) is { } bare) into.Add(new LinkedPaper(how.NormalizeId(bare), EdgeFlags.None));
                    else unresolved++;
                    break;
                case JsonValueKind.Object:
                    var paper = how.Wrapper is not null && link.TryGetProperty(how.Wrapper, out var nested) ? nested : link;
                    if (paper.ValueKind == JsonValueKind.Null) { unresolved++; break; }
                    if (paper.ValueKind != JsonValueKind.Object) throw new FormatException($"'{property}[{i}].{how.Wrapper}' should be an object, found {paper.ValueKind}");
                    var id = how.IdProperties.Select(name => Id(paper, name)).FirstOrDefault(v => v is not null);
                    if (id is null) { unresolved++; break; }
                    into.Add(new LinkedPaper(how.NormalizeId(id), LinkFlags(link, "isInfluential", "intents"), Year(paper, "year"),
                        how.FieldParts is null ? null : Field(paper, how.FieldParts, how.FieldPath!)));
                    break;
                default:
                    throw new FormatException($"'{property}[{i}]' should be a paper id or object, found {link.ValueKind}");
            }
            i++;
        }
        return unresolved;
    }

    private static string? Id(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
        _ => v.GetRawText(),
    };

    /// <summary>Influence and intents of one link; intents may be a list of strings or (per context) a list of lists.</summary>
    public static EdgeFlags LinkFlags(JsonElement link, string influentialName, string intentsName)
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

/// <summary>How one source spells the papers in its link arrays (see <see cref="JsonFields.Links"/>).</summary>
/// <param name="Wrapper">Property of a link object holding the paper (S2's <c>citedPaper</c> / <c>citingPaper</c>), or null.</param>
/// <param name="IdProperties">Id properties of a paper object, first present wins.</param>
/// <param name="FieldParts">The field path split at dots, to read a nested paper's field, or null.</param>
/// <param name="FieldPath">The field path as given (for messages).</param>
/// <param name="Normalize">Turns a source id into the graph's id (e.g. strips OpenAlex's URL prefix), or null.</param>
internal sealed record LinkReading(string? Wrapper, string[] IdProperties, string[]? FieldParts = null, string? FieldPath = null,
    Func<string, string>? Normalize = null)
{
    public string NormalizeId(string id) => Normalize is null ? id : Normalize(id);
}

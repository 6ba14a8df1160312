using System.Globalization;
using System.Text.Json;

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
}

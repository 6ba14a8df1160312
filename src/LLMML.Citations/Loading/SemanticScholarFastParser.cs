using System.Text;
using System.Text.Json;
using LLMML.Citations.Graphs;

namespace LLMML.Citations.Loading;

/// <summary>
/// A single-pass <see cref="Utf8JsonReader"/> parser for the common shape of a Semantic Scholar paper line (string ids,
/// numeric year, a plain string field property, link objects with <c>isInfluential</c> and <c>intents</c>). It builds no
/// document. Anything it does not expect makes it give up (return null) so the general, validating
/// <see cref="JsonDocument"/> path handles that line and reports its errors.
/// </summary>
internal static class SemanticScholarFastParser
{
    public static PaperRecord? TryParse(ReadOnlySpan<byte> line, string fieldProperty, out int unresolved)
    {
        unresolved = 0;
        if (fieldProperty.Contains('.')) return null;
        var fieldName = Encoding.UTF8.GetBytes(fieldProperty);
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            var record = new PaperRecord();
            string? paperId = null, corpusId = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("paperId"u8)) { if (!ReadId(ref reader, out paperId)) return null; }
                else if (reader.ValueTextEquals("corpusId"u8) || reader.ValueTextEquals("corpusid"u8)) { if (!ReadId(ref reader, out corpusId)) return null; }
                else if (reader.ValueTextEquals("citingcorpusid"u8)) return null; // edge records: general path
                else if (reader.ValueTextEquals("year"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null) continue;
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var y) || y is < 1000 or > 3000) return null;
                    record.Year = y;
                }
                else if (reader.ValueTextEquals(fieldName))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null) continue;
                    if (reader.TokenType != JsonTokenType.String) return null;
                    record.Field = reader.GetString();
                }
                else if (reader.ValueTextEquals("references"u8))
                {
                    if (!ReadLinks(ref reader, "citedPaper"u8, record.References, fieldName, ref unresolved)) return null;
                }
                else if (reader.ValueTextEquals("citations"u8))
                {
                    if (!ReadLinks(ref reader, "citingPaper"u8, record.Citations, fieldName, ref unresolved)) return null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return null; // trailing content: let the general path judge
            record.Id = paperId ?? corpusId;
            return record.Id is null ? null : record;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool ReadId(ref Utf8JsonReader reader, out string? id)
    {
        reader.Read();
        id = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return true;
            case JsonTokenType.String: id = reader.GetString(); if (id is { Length: 0 }) id = null; return true;
            case JsonTokenType.Number: id = Encoding.UTF8.GetString(reader.ValueSpan); return true;
            default: return false;
        }
    }

    private static bool ReadLinks(ref Utf8JsonReader reader, ReadOnlySpan<byte> wrapper, List<LinkedPaper> into, byte[] fieldName, ref int unresolved)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) return false;
            // Properties of the wrapped paper win over the link's own (the general path ignores the latter when wrapped).
            string? id = null, wrappedId = null;
            int? year = null, wrappedYear = null;
            string? field = null, wrappedField = null;
            var flags = EdgeFlags.None;
            bool wrapped = false, wrapperNull = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(wrapper))
                {
                    wrapped = true;
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null) { wrapperNull = true; continue; }
                    if (reader.TokenType != JsonTokenType.StartObject) return false;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        if (!ReadPaperProperty(ref reader, fieldName, ref wrappedId, ref wrappedYear, ref wrappedField)) return false;
                }
                else if (reader.ValueTextEquals("isInfluential"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.True) flags |= EdgeFlags.Annotated | EdgeFlags.Influential;
                    else if (reader.TokenType == JsonTokenType.False) flags |= EdgeFlags.Annotated;
                    else if (reader.TokenType != JsonTokenType.Null) return false;
                }
                else if (reader.ValueTextEquals("intents"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null) continue;
                    if (reader.TokenType != JsonTokenType.StartArray) return false;
                    flags |= EdgeFlags.Annotated;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String) return false; // nested per-context lists: general path
                        if (reader.ValueTextEquals("background"u8)) flags |= EdgeFlags.Background;
                        else if (reader.ValueTextEquals("methodology"u8)) flags |= EdgeFlags.Methodology;
                        else if (reader.ValueTextEquals("result"u8)) flags |= EdgeFlags.Result;
                        else return false; // other spellings: general path
                    }
                }
                else if (!ReadPaperProperty(ref reader, fieldName, ref id, ref year, ref field)) return false;
            }
            if (wrapped) (id, year, field) = (wrappedId, wrappedYear, wrappedField);
            if (wrapperNull || id is null) { unresolved++; continue; }
            into.Add(new LinkedPaper(id, flags, year, field));
        }
        return true;
    }

    // A property of a (possibly nested) paper object: its id, year and field; anything else is skipped.
    private static bool ReadPaperProperty(ref Utf8JsonReader reader, byte[] fieldName, ref string? id, ref int? year, ref string? field)
    {
        if (reader.ValueTextEquals("paperId"u8) || reader.ValueTextEquals("corpusId"u8))
        {
            bool isPaperId = reader.ValueTextEquals("paperId"u8);
            if (!ReadId(ref reader, out var value)) return false;
            if (isPaperId || id is null) id = value ?? id;
            return true;
        }
        if (reader.ValueTextEquals("year"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null) return true;
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var y) || y is < 1000 or > 3000) return false;
            year = y;
            return true;
        }
        if (reader.ValueTextEquals(fieldName))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null) return true;
            if (reader.TokenType != JsonTokenType.String) return false;
            field = reader.GetString();
            return true;
        }
        reader.Read();
        reader.Skip();
        return true;
    }
}

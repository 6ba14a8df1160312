using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace LLMML.Foundation.Persistence;

/// <summary>
/// Reads and writes the safetensors layout: an 8-byte little-endian header length, a UTF-8 JSON header
/// <c>{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}</c>,
/// then the tensors' raw little-endian bytes, offsets counted from the end of the header.
/// Supports F32, F64, I32 and I64; anything else is rejected by name.
/// </summary>
public static class SafetensorsFormat
{
    /// <summary>Headers above this size are treated as corruption rather than allocated.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes the tensors (in name order, so equal content gives equal bytes) and optional metadata.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, TensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(name) || name == MetadataKey)
                throw new ArgumentException($"'{name}' cannot be used as a tensor name.", nameof(tensors));
        }

        using var headerBuffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(headerBuffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                var t = tensors[name];
                json.WriteStartObject(name);
                json.WriteString("dtype", t.DType.ToSafetensorsName());
                json.WriteStartArray("shape");
                foreach (var d in t.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += t.Bytes.Length;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        var header = headerBuffer.ToArray();
        int padded = (header.Length + 7) / 8 * 8;
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)padded);
        stream.Write(lengthBytes);
        stream.Write(header);
        for (int i = header.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var name in names) stream.Write(tensors[name].Bytes.Span);
    }

    /// <summary>Writes to a byte array.</summary>
    public static byte[] Write(IReadOnlyDictionary<string, TensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var ms = new MemoryStream();
        Write(ms, tensors, metadata);
        return ms.ToArray();
    }

    /// <summary>
    /// Parses and validates a whole safetensors buffer: header length, JSON, dtypes, shapes against byte
    /// ranges, ranges contiguous and covering the data exactly. Throws <see cref="InvalidDataException"/>
    /// naming <paramref name="sourceName"/> and the offending tensor.
    /// </summary>
    public static SafetensorsContent Read(ReadOnlySpan<byte> buffer, string sourceName = "safetensors data")
    {
        if (buffer.Length < 8)
            throw Bad(sourceName, $"is {buffer.Length} bytes long, shorter than the 8-byte header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(buffer);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(buffer.Length - 8))
            throw Bad(sourceName, $"declares a {headerLength}-byte header but holds only {buffer.Length - 8} bytes after the length.");
        var headerBytes = buffer.Slice(8, (int)headerLength);
        var data = buffer[(8 + (int)headerLength)..];

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes.ToArray());
        }
        catch (JsonException e)
        {
            throw Bad(sourceName, $"has a header that is not valid JSON: {e.Message}", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad(sourceName, "has a header that is not a JSON object.");

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<(string Name, TensorDType DType, long[] Shape, long Begin, long End)>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == MetadataKey)
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object)
                        throw Bad(sourceName, "has a __metadata__ entry that is not an object.");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw Bad(sourceName, $"has metadata '{m.Name}' that is not a string.");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                entries.Add(ParseEntry(sourceName, prop));
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in entries)
                if (!names.Add(e.Name)) throw Bad(sourceName, $"lists tensor '{e.Name}' twice.");

            // Byte ranges must tile the data region exactly: no gaps, overlaps or trailing bytes.
            long expectedBegin = 0;
            foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
            {
                if (e.Begin != expectedBegin)
                    throw Bad(sourceName, $"tensor '{e.Name}' starts at byte {e.Begin} but the previous tensor ends at {expectedBegin} (gap or overlap).");
                expectedBegin = e.End;
            }
            if (expectedBegin != data.Length)
                throw Bad(sourceName, $"has {data.Length} data bytes but its tensors cover {expectedBegin}.");

            var tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
            foreach (var e in entries)
            {
                long needed;
                try
                {
                    needed = checked(TensorData.ElementCountOf(e.Shape) * e.DType.SizeOf());
                }
                catch (OverflowException)
                {
                    throw Bad(sourceName, $"tensor '{e.Name}' has a shape whose size overflows.");
                }
                if (needed != e.End - e.Begin)
                    throw Bad(sourceName,
                        $"tensor '{e.Name}' is {e.DType.ToSafetensorsName()} [{string.Join(", ", e.Shape)}] ({needed} bytes) but its data_offsets span {e.End - e.Begin} bytes.");
                tensors[e.Name] = new TensorData(e.DType, e.Shape, data[(int)e.Begin..(int)e.End].ToArray());
            }
            return new SafetensorsContent(tensors, metadata);
        }
    }

    private static (string, TensorDType, long[], long, long) ParseEntry(string source, JsonProperty prop)
    {
        var name = prop.Name;
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object)
            throw Bad(source, $"tensor '{name}' has a header entry that is not an object.");
        if (!v.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
            throw Bad(source, $"tensor '{name}' has no dtype.");
        var dtypeName = dtypeEl.GetString()!;
        if (!TensorDTypes.TryParseSafetensorsName(dtypeName, out var dtype))
            throw Bad(source, $"tensor '{name}' has dtype {dtypeName}; supported are F32, F64, I32, I64.");
        if (!v.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array)
            throw Bad(source, $"tensor '{name}' has no shape array.");
        var shape = new long[shapeEl.GetArrayLength()];
        int i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim) || dim < 0)
                throw Bad(source, $"tensor '{name}' has a shape entry '{d}' that is not a non-negative integer.");
            shape[i++] = dim;
        }
        if (!v.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
            throw Bad(source, $"tensor '{name}' has no [begin, end] data_offsets.");
        if (!offEl[0].TryGetInt64(out var begin) || !offEl[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw Bad(source, $"tensor '{name}' has invalid data_offsets {offEl}.");
        return (name, dtype, shape, begin, end);
    }

    private static InvalidDataException Bad(string source, string what, Exception? inner = null) =>
        new($"{source}: {what}", inner);
}

/// <summary>The tensors and string metadata of one safetensors file.</summary>
public sealed record SafetensorsContent(
    IReadOnlyDictionary<string, TensorData> Tensors,
    IReadOnlyDictionary<string, string> Metadata);

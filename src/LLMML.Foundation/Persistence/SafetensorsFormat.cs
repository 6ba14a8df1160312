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
        var headerLength = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(buffer), buffer.Length, sourceName);
        var data = buffer[(8 + headerLength)..];
        var header = ParseHeader(buffer.Slice(8, headerLength), data.Length, sourceName, supportedOnly: true);
        var tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var e in header.Entries)
        {
            TensorDTypes.TryParseSafetensorsName(e.DType, out var dtype);
            tensors[e.Name] = new TensorData(dtype, e.Shape, data[(int)e.Begin..(int)e.End].ToArray());
        }
        return new SafetensorsContent(tensors, header.Metadata);
    }

    /// <summary>
    /// Reads and validates only the header of the safetensors file at <paramref name="path"/>, any dtype of the format
    /// (F16, BF16, F8, U8, ... included): every tensor's byte range must lie inside the file, match its dtype and shape,
    /// and the ranges must tile the data region without gaps or overlaps. No tensor bytes are read, so a loader can check
    /// a file before allocating anything for it.
    /// </summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        // Devices and pipes (a link to /dev/zero) report length 0 and end up "shorter than the 8-byte header length".
        var length = stream.CanSeek ? stream.Length : 0;
        if (length < 8)
            throw Bad(path, $"is {length} bytes long, shorter than the 8-byte header length.");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes), length, path);
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        return ParseHeader(headerBytes, length - 8 - headerLength, path, supportedOnly: false);
    }

    /// <summary>Bytes per element of a safetensors dtype name, or null for a name the format does not define.</summary>
    public static int? ElementSize(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "I64" or "U64" or "F64" => 8,
        _ => null,
    };

    private static int CheckHeaderLength(ulong headerLength, long totalLength, string sourceName)
    {
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(totalLength - 8))
            throw Bad(sourceName, $"declares a {headerLength}-byte header but holds only {totalLength - 8} bytes after the length.");
        return (int)headerLength;
    }

    private static SafetensorsHeader ParseHeader(ReadOnlySpan<byte> headerBytes, long dataLength, string sourceName, bool supportedOnly)
    {
        try
        {
            return ParseHeaderJson(headerBytes, dataLength, sourceName, supportedOnly);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json validates UTF-8 in names only when they are read.
            throw Bad(sourceName, $"has a header with invalid text: {e.Message}", e);
        }
    }

    private static SafetensorsHeader ParseHeaderJson(ReadOnlySpan<byte> headerBytes, long dataLength, string sourceName, bool supportedOnly)
    {
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
            var entries = new List<SafetensorsEntry>();
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
                entries.Add(ParseEntry(sourceName, prop, supportedOnly));
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
            if (expectedBegin != dataLength)
                throw Bad(sourceName, $"has {dataLength} data bytes but its tensors cover {expectedBegin}.");

            foreach (var e in entries)
            {
                long needed;
                try
                {
                    needed = checked(TensorData.ElementCountOf(e.Shape) * ElementSize(e.DType)!.Value);
                }
                catch (OverflowException)
                {
                    throw Bad(sourceName, $"tensor '{e.Name}' has a shape [{string.Join(", ", e.Shape)}] whose size overflows.");
                }
                if (needed != e.End - e.Begin)
                    throw Bad(sourceName,
                        $"tensor '{e.Name}' is {e.DType} [{string.Join(", ", e.Shape)}] ({needed} bytes) but its data_offsets span {e.End - e.Begin} bytes.");
            }
            return new SafetensorsHeader(entries, metadata, 8 + headerBytes.Length);
        }
    }

    private static SafetensorsEntry ParseEntry(string source, JsonProperty prop, bool supportedOnly)
    {
        var name = prop.Name;
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object)
            throw Bad(source, $"tensor '{name}' has a header entry that is not an object.");
        if (!v.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
            throw Bad(source, $"tensor '{name}' has no dtype.");
        var dtypeName = dtypeEl.GetString()!;
        if (supportedOnly ? !TensorDTypes.TryParseSafetensorsName(dtypeName, out _) : ElementSize(dtypeName) is null)
            throw Bad(source, $"tensor '{name}' has dtype {dtypeName}; supported are {(supportedOnly ? "F32, F64, I32, I64" : "the safetensors dtypes")}.");
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
        if (offEl[0].ValueKind != JsonValueKind.Number || offEl[1].ValueKind != JsonValueKind.Number
            || !offEl[0].TryGetInt64(out var begin) || !offEl[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw Bad(source, $"tensor '{name}' has invalid data_offsets {offEl}.");
        return new SafetensorsEntry(name, dtypeName, shape, begin, end);
    }

    private static InvalidDataException Bad(string source, string what, Exception? inner = null) =>
        new($"{source}: {what}", inner);
}

/// <summary>One tensor's header entry: safetensors dtype name, shape and byte range counted from the data start.</summary>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>A validated safetensors header: its tensors, string metadata and the file offset where tensor data starts.</summary>
public sealed record SafetensorsHeader(IReadOnlyList<SafetensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart);

/// <summary>The tensors and string metadata of one safetensors file.</summary>
public sealed record SafetensorsContent(
    IReadOnlyDictionary<string, TensorData> Tensors,
    IReadOnlyDictionary<string, string> Metadata);

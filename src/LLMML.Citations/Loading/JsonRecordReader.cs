using System.Text.Json;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Loading;

/// <summary>
/// Streams the records of a JSON source: JSONL (one object per line; errors name the line), a top-level
/// JSON array (streamed element by element; errors name the element number), or one object, whose
/// <c>data</c> array (the Graph API's batch shape) is taken when present. Only JSONL and arrays stream;
/// a single object is parsed whole.
/// </summary>
internal static class JsonRecordReader
{
    /// <summary>Calls <paramref name="onRecord"/> per record; a <see cref="FormatException"/> or
    /// <see cref="InvalidOperationException"/> it throws marks that record malformed (reported, counted, skipped).</summary>
    public static void Read(string path, LoadDiagnostics diagnostics, Action<JsonElement> onRecord,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        long length = stream.Length;
        var mode = Detect(stream, path);
        stream.Position = 0;
        switch (mode)
        {
            case Mode.Lines:
                ReadLines(stream, length, diagnostics, onRecord, progress, ct);
                break;
            case Mode.Array:
                ReadArray(stream, length, diagnostics, onRecord, progress, ct);
                break;
            default:
                ReadDocument(stream, path, diagnostics, onRecord);
                break;
        }
        progress?.Report(new ProgressUpdate("load", length, length));
    }

    private enum Mode { Lines, Array, Document }

    private static Mode Detect(Stream stream, string path)
    {
        if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase))
            return Mode.Lines;
        var reader = new Utf8LineReader(stream, 1 << 12);
        while (reader.TryReadLine(out var line))
        {
            var span = line.Span.Trim(" \t"u8);
            if (span.Length == 0) continue;
            if (span[0] == (byte)'[') return Mode.Array;
            try
            {
                using var _ = JsonDocument.Parse(line);
                return Mode.Lines;
            }
            catch (JsonException)
            {
                return Mode.Document;
            }
        }
        return Mode.Lines;
    }

    private static void ReadLines(Stream stream, long length, LoadDiagnostics d, Action<JsonElement> onRecord,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        var reader = new Utf8LineReader(stream);
        while (reader.TryReadLine(out var line))
        {
            if ((reader.LineNumber & 0x3FFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new ProgressUpdate("load", stream.Position, length));
            }
            if (line.Span.Trim(" \t"u8).Length == 0) { d.BlankLines++; continue; }
            d.Records++;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException e)
            {
                d.Report(reader.LineNumber, $"not valid JSON: {e.Message}");
                continue;
            }
            using (doc) Handle(doc.RootElement, reader.LineNumber, d, onRecord);
        }
    }

    private static void ReadArray(Stream stream, long length, LoadDiagnostics d, Action<JsonElement> onRecord,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        long index = 0;
        try
        {
            foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, cancellationToken: ct).ToBlockingEnumerable(ct))
            {
                index++;
                d.Records++;
                Handle(element, index, d, onRecord);
                if ((index & 0x3FFF) == 0) progress?.Report(new ProgressUpdate("load", stream.Position, length));
            }
        }
        catch (JsonException e)
        {
            // The rest of the array cannot be resynchronised: say so rather than drop it quietly.
            d.Report(index + 1, $"invalid JSON after element {index} (line {e.LineNumber + 1}): {e.Message}; the rest of the file was not read");
        }
    }

    private static void ReadDocument(Stream stream, string path, LoadDiagnostics d, Action<JsonElement> onRecord)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(stream); }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: neither JSONL nor valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                long i = 0;
                foreach (var element in data.EnumerateArray())
                {
                    d.Records++;
                    Handle(element, ++i, d, onRecord);
                }
            }
            else
            {
                d.Records++;
                Handle(root, 1, d, onRecord);
            }
        }
    }

    private static void Handle(JsonElement element, long line, LoadDiagnostics d, Action<JsonElement> onRecord)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            d.Report(line, $"expected a JSON object, found {element.ValueKind}");
            return;
        }
        try { onRecord(element); }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            d.Report(line, e.Message);
        }
    }
}

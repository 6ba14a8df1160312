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
    /// <summary>
    /// Parses every record into papers with <paramref name="parse"/> (called from several threads for JSONL; it must not
    /// touch shared state) and hands them, in file order, to <paramref name="commit"/>. A <see cref="FormatException"/>,
    /// <see cref="InvalidOperationException"/> or <see cref="KeyNotFoundException"/> from <paramref name="parse"/> marks that
    /// record malformed (reported with its line, counted, skipped whole).
    /// </summary>
    /// <remarks><paramref name="fastParse"/>, when given, is tried first on each JSONL line's bytes; returning false
    /// hands the line to the general path.</remarks>
    public static void Read(string path, int maxLineBytes, LoadDiagnostics diagnostics, Action<JsonElement, List<PaperRecord>> parse,
        Action<PaperRecord> commit, IProgress<ProgressUpdate>? progress, CancellationToken ct,
        Func<ReadOnlyMemory<byte>, List<PaperRecord>, bool>? fastParse = null)
    {
        Read(path, maxLineBytes, diagnostics, element =>
        {
            var papers = new List<PaperRecord>(1);
            parse(element, papers);
            foreach (var p in papers) commit(p);
        }, (lines, first) => ParseBatch(lines, first, parse, fastParse), commit, progress, ct);
    }

    private static void Read(string path, int maxLineBytes, LoadDiagnostics diagnostics, Action<JsonElement> onRecord,
        Func<List<ReadOnlyMemory<byte>>, long[], ParsedLine[]> parseBatch, Action<PaperRecord> commit,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        long length = stream.Length;
        var mode = Detect(stream, path, maxLineBytes);
        stream.Position = 0;
        switch (mode)
        {
            case Mode.Lines:
                ReadLines(stream, path, maxLineBytes, () => stream.Position, length, diagnostics, parseBatch, commit, progress, ct);
                break;
            case Mode.Array:
                ReadArray(stream, path, maxLineBytes, length, diagnostics, onRecord, progress, ct);
                break;
            default:
                // A single document is parsed whole, so it is held to the same bound as one record.
                if (length > maxLineBytes)
                    throw new InvalidDataException($"{path}: a single JSON document of {length:N0} bytes is larger than the {maxLineBytes:N0}-byte record limit; write one record per line (JSONL) or a top-level array, which stream.");
                ReadDocument(stream, path, diagnostics, onRecord);
                break;
        }
        progress?.Report(new ProgressUpdate("load", length, length));
    }

    private enum Mode { Lines, Array, Document }

    // The layout is read from the content, not the name or the line breaks: '[' opens a streamed array; a first line that
    // is a whole JSON value means one record (or one {"data": [...]} batch) per line, and so does a broken first line
    // followed by a whole second one (a malformed first record); anything else is one pretty-printed document.
    private static Mode Detect(Stream stream, string path, int maxLineBytes)
    {
        var head = new byte[4096];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var start = head.AsSpan(0, read);
        if (start.StartsWith("\xEF\xBB\xBF"u8)) start = start[3..];
        start = start.TrimStart(" \t\r\n"u8);
        if (start.Length > 0 && start[0] == (byte)'[') return Mode.Array;
        stream.Position = 0;
        var reader = new Utf8LineReader(stream, path, 1 << 12, maxLineBytes);
        int seen = 0;
        while (reader.TryReadLine(out var line))
        {
            if (line.Span.Trim(" \t"u8).Length == 0) continue;
            if (IsJson(line)) return Mode.Lines;
            if (++seen == 2) return Mode.Document;
        }
        return seen == 0 ? Mode.Lines : Mode.Document;
    }

    private static bool IsJson(ReadOnlyMemory<byte> line)
    {
        try
        {
            using var _ = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The records a JSON value holds: a Graph API batch <c>{"data": [...]}</c> holds its elements, anything else is one
    /// record. Each comes with its label for error messages (null for the value itself).
    /// </summary>
    private static IEnumerable<(JsonElement Record, string? Label)> Records(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var element in data.EnumerateArray()) yield return (element, $"data[{i++}]");
        }
        else yield return (root, null);
    }

    /// <summary>One parsed JSONL line: its records, their papers, and why any record was rejected.</summary>
    private readonly record struct ParsedLine(long Line, int Records, List<PaperRecord> Papers, List<string>? Errors);

    private const int BatchLines = 2048;

    // Lines are copied out of the reader's buffer in batches and parsed on all cores; committing stays sequential so the
    // graph's paper order and the diagnostics do not depend on thread timing.
    /// <summary>
    /// Reads <paramref name="stream"/> as JSONL (no layout detection; e.g. a decompressing stream that cannot seek), the
    /// same way as the JSONL path of Read; <paramref name="position"/> and <paramref name="length"/> drive the progress reports.
    /// </summary>
    public static void ReadJsonl(Stream stream, string name, int maxLineBytes, Func<long> position, long length, LoadDiagnostics diagnostics,
        Action<JsonElement, List<PaperRecord>> parse, Action<PaperRecord> commit, IProgress<ProgressUpdate>? progress, CancellationToken ct) =>
        ReadLines(stream, name, maxLineBytes, position, length, diagnostics, (lines, first) => ParseBatch(lines, first, parse, null), commit, progress, ct);

    private static void ReadLines(Stream stream, string path, int maxLineBytes, Func<long> position, long length, LoadDiagnostics d,
        Func<List<ReadOnlyMemory<byte>>, long[], ParsedLine[]> parseBatch, Action<PaperRecord> commit,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        var reader = new Utf8LineReader(stream, path, maxLineBytes: maxLineBytes);
        var lines = new List<ReadOnlyMemory<byte>>(BatchLines);
        var numbers = new long[BatchLines];
        void Flush()
        {
            if (lines.Count == 0) return;
            foreach (var parsed in parseBatch(lines, numbers))
            {
                d.Records += parsed.Records;
                foreach (var error in parsed.Errors ?? []) d.Report(parsed.Line, error);
                foreach (var paper in parsed.Papers) commit(paper);
            }
            lines.Clear();
            ct.ThrowIfCancellationRequested();
            progress?.Report(new ProgressUpdate("load", position(), length));
        }
        while (reader.TryReadLine(out var line))
        {
            if (line.Span.Trim(" \t"u8).Length == 0) { d.BlankLines++; continue; }
            numbers[lines.Count] = reader.LineNumber;
            lines.Add(line.ToArray());
            if (lines.Count == BatchLines) Flush();
        }
        Flush();
    }

    private static ParsedLine[] ParseBatch(List<ReadOnlyMemory<byte>> lines, long[] numbers, Action<JsonElement, List<PaperRecord>> parse,
        Func<ReadOnlyMemory<byte>, List<PaperRecord>, bool>? fastParse)
    {
        var results = new ParsedLine[lines.Count];
        Parallel.For(0, lines.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => 0, (i, _, local) =>
        {
            var fast = new List<PaperRecord>(1);
            results[i] = fastParse is not null && fastParse(lines[i], fast)
                ? new ParsedLine(numbers[i], 1, fast, null)
                : ParseLine(lines[i], numbers[i], parse);
            return local;
        }, _ => { });
        return results;
    }

    private static ParsedLine ParseLine(ReadOnlyMemory<byte> line, long number, Action<JsonElement, List<PaperRecord>> parse)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { return new ParsedLine(number, 1, [], [$"not valid JSON: {e.Message}"]); }
        using (doc)
        {
            var papers = new List<PaperRecord>(1);
            List<string>? errors = null;
            int records = 0;
            foreach (var (record, label) in Records(doc.RootElement))
            {
                records++;
                // A record is rejected whole: its papers are kept only when it parsed completely.
                var own = new List<PaperRecord>(1);
                if (TryParse(record, own, parse) is { } error) (errors ??= []).Add(label is null ? error : $"{label}: {error}");
                else papers.AddRange(own);
            }
            return new ParsedLine(number, records, papers, errors);
        }
    }

    // A top-level array is read element by element with a Utf8JsonReader over a refilled buffer that grows only to the
    // largest element, so a multi-gigabyte array needs memory for one record at a time; every element before a syntax
    // error is kept.
    private static void ReadArray(Stream stream, string path, int maxElementBytes, long length, LoadDiagnostics d, Action<JsonElement> onRecord,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        var buffer = new byte[Math.Min(1 << 16, maxElementBytes + 1)];
        int filled = 0;
        bool final = false, started = false, done = false;
        var state = new JsonReaderState();
        long index = 0;
        try
        {
            while (!done)
            {
                if (!final)
                {
                    if (filled == buffer.Length)
                    {
                        if (filled > maxElementBytes)
                            throw new InvalidDataException($"{path}: array element {index + 1} is longer than {maxElementBytes:N0} bytes (the record-length limit).");
                        Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, maxElementBytes + 1L));
                    }
                    int read = stream.Read(buffer, filled, buffer.Length - filled);
                    filled += read;
                    final = read == 0;
                }
                var reader = new Utf8JsonReader(buffer.AsSpan(0, filled), final, state);
                long consumed = 0;
                while (true)
                {
                    var before = reader.CurrentState;
                    long beforeConsumed = reader.BytesConsumed;
                    if (!reader.Read()) break;
                    if (!started)
                    {
                        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected a JSON array");
                        started = true;
                        consumed = reader.BytesConsumed;
                        continue;
                    }
                    if (reader.TokenType == JsonTokenType.EndArray) { done = true; break; }
                    var probe = reader;
                    if (!probe.TrySkip())
                    {
                        // The element is not all in the buffer yet: rewind to its start and read more.
                        consumed = beforeConsumed;
                        state = before;
                        goto Refill;
                    }
                    using (var doc = JsonDocument.ParseValue(ref reader))
                    {
                        index++;
                        d.Records++;
                        Handle(doc.RootElement, index, d, onRecord);
                    }
                    consumed = reader.BytesConsumed;
                    if ((index & 0x3FFF) == 0)
                    {
                        ct.ThrowIfCancellationRequested();
                        progress?.Report(new ProgressUpdate("load", stream.Position, length));
                    }
                }
                state = reader.CurrentState;
                if (final && !done) throw new JsonException("the array is not closed");
            Refill:
                Buffer.BlockCopy(buffer, (int)consumed, buffer, 0, filled - (int)consumed);
                filled -= (int)consumed;
                if (final && !done && filled == 0) throw new JsonException("the array is not closed");
            }
        }
        catch (JsonException e)
        {
            // The rest of the array cannot be resynchronised: say so rather than drop it quietly.
            d.Report(index + 1, $"invalid JSON after element {index}: {e.Message}; the rest of the file was not read");
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
            long i = 0;
            foreach (var (record, _) in Records(doc.RootElement))
            {
                d.Records++;
                Handle(record, ++i, d, onRecord);
            }
        }
    }

    private static void Handle(JsonElement element, long line, LoadDiagnostics d, Action<JsonElement> onRecord)
    {
        if (TryParse(element, onRecord) is { } error) d.Report(line, error);
    }

    private static string? TryParse(JsonElement element, List<PaperRecord> into, Action<JsonElement, List<PaperRecord>> parse) =>
        TryParse(element, e => parse(e, into));

    // Null when the record was used, else why it was rejected.
    private static string? TryParse(JsonElement element, Action<JsonElement> onRecord)
    {
        if (element.ValueKind != JsonValueKind.Object) return $"expected a JSON object, found {element.ValueKind}";
        try { onRecord(element); }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return e.Message;
        }
        return null;
    }
}

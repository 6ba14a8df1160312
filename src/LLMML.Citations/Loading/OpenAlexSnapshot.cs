using System.IO.Compression;
using System.Text.Json;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Loading;

/// <summary>
/// Reads the OpenAlex works snapshot as OpenAlex distributes it: gzip-compressed JSONL parts under
/// <c>works/updated_date=YYYY-MM-DD/part_NNN.gz</c>, listed with their record counts in <c>works/manifest</c>. Parts are
/// decompressed as streams (never whole in memory) and their lines parsed on all cores, committed in manifest order; a
/// malformed record is reported with its part and line, and a part whose record count differs from the manifest's is
/// reported too. Only files inside the snapshot folder are read, whatever the manifest names.
/// </summary>
public static class OpenAlexSnapshot
{
    /// <summary>Whether <paramref name="path"/> is a snapshot folder (the root holding <c>works/</c>, or <c>works/</c> itself).</summary>
    public static bool IsSnapshot(string path) => Directory.Exists(path) && WorksFolder(path) is not null;

    /// <summary>The parts to read, relative to the works folder, in order: the manifest's, else every <c>updated_date=*/part_*.gz</c> sorted.</summary>
    /// <exception cref="InvalidDataException">The manifest is malformed or names a missing file or one outside the folder.</exception>
    public static IReadOnlyList<SnapshotPart> Parts(string snapshot)
    {
        var works = WorksFolder(snapshot) ?? throw new DirectoryNotFoundException($"'{snapshot}' holds no OpenAlex works snapshot (no works/updated_date=*/ folders).");
        var manifest = Path.Combine(works, "manifest");
        if (!File.Exists(manifest))
            return [.. Directory.EnumerateDirectories(works, "updated_date=*").Order(StringComparer.Ordinal)
                .SelectMany(d => Directory.EnumerateFiles(d, "part_*.gz").Order(StringComparer.Ordinal))
                .Select(f => new SnapshotPart(Path.GetRelativePath(works, f), f, null))];
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(manifest));
            if (!doc.RootElement.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException("no 'entries' array");
            var parts = new List<SnapshotPart>();
            int i = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                var url = entry.GetProperty("url").GetString() ?? throw new InvalidDataException($"entries[{i}].url is null");
                int at = url.IndexOf("/works/", StringComparison.Ordinal);
                var relative = (at >= 0 ? url[(at + "/works/".Length)..] : url).Replace('/', Path.DirectorySeparatorChar);
                var full = Path.GetFullPath(Path.Combine(works, relative));
                if (!full.StartsWith(works + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new InvalidDataException($"entries[{i}].url '{url}' points outside the snapshot folder");
                if (!File.Exists(full)) throw new InvalidDataException($"entries[{i}]: part '{relative}' is missing");
                long? count = entry.TryGetProperty("meta", out var meta) && meta.TryGetProperty("record_count", out var rc) && rc.TryGetInt64(out var n) ? n : null;
                parts.Add(new SnapshotPart(relative, full, count));
                i++;
            }
            return parts;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException)
        {
            throw new InvalidDataException($"{manifest}: {e.Message}", e);
        }
    }

    /// <summary>Loads every work of the snapshot into one graph.</summary>
    public static GraphLoadResult Load(string snapshot, CitationLoadOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var parts = Parts(snapshot);
        var graph = new RecordGraphAssembler();
        var parse = graph.Counting(OpenAlexLoader.Parser(options));
        long total = parts.Sum(p => new FileInfo(p.Path).Length), done = 0;
        foreach (var part in parts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            graph.Diagnostics.CurrentFile = part.RelativePath;
            long recordsBefore = graph.Diagnostics.Records;
            using (var file = new FileStream(part.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            {
                long offset = done;
                try
                {
                    JsonRecordReader.ReadJsonl(gzip, part.Path, options?.MaxLineBytes ?? CitationLoadOptions.DefaultMaxLineBytes,
                        () => offset + file.Position, total, graph.Diagnostics, parse, graph.Commit, progress, cancellationToken);
                }
                catch (InvalidDataException e) when (e.InnerException is null && !e.Message.StartsWith(part.Path, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{part.Path}: not a readable gzip part: {e.Message}", e); // a corrupt deflate stream
                }
                done += file.Length;
            }
            long read = graph.Diagnostics.Records - recordsBefore;
            if (part.RecordCount is { } expected && expected != read)
                graph.Diagnostics.Report(0, $"the manifest lists {expected} records, the part holds {read}");
        }
        graph.Diagnostics.CurrentFile = null;
        progress?.Report(new ProgressUpdate("load", total, total));
        return graph.Finish();
    }

    private static string? WorksFolder(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        foreach (var candidate in new[] { Path.Combine(full, "works"), full })
            if (Directory.Exists(candidate) && (File.Exists(Path.Combine(candidate, "manifest")) || Directory.EnumerateDirectories(candidate, "updated_date=*").Any()))
                return candidate;
        return null;
    }
}

/// <summary>One compressed JSONL part of a snapshot.</summary>
/// <param name="RelativePath">Path below <c>works/</c>, e.g. <c>updated_date=2024-01-01/part_000.gz</c>.</param>
/// <param name="Path">Full path on disk.</param>
/// <param name="RecordCount">Records the manifest promises, when it says.</param>
public sealed record SnapshotPart(string RelativePath, string Path, long? RecordCount);

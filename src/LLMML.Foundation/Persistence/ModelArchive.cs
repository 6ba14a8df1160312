using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LLMML.Foundation.Persistence;

/// <summary>
/// The one on-disk format for every fitted LLMML component: a zip holding <c>manifest.json</c>
/// (format name and version, component type and version, the component's options as JSON, and every
/// other entry with its length and SHA-256), <c>tensors.safetensors</c>, and named extra blobs under
/// <c>blobs/</c>.
/// </summary>
/// <remarks>
/// Loading validates the whole file (format, versions, checksums, safetensors header against bytes)
/// before an instance exists, so a corrupt or foreign file fails with one <see cref="InvalidDataException"/>
/// that names the file and the entry, never with a half-built model. Saving to a path writes a temporary
/// file next to the target and renames it over, so an existing archive is never left truncated.
/// </remarks>
public sealed class ModelArchive
{
    /// <summary>Value of the manifest's <c>format</c> field.</summary>
    public const string FormatName = "llmml-model-archive";

    /// <summary>Manifest layout version this build writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Zip entry names with a fixed meaning.</summary>
    public const string ManifestEntry = "manifest.json", TensorsEntry = "tensors.safetensors", BlobPrefix = "blobs/";

    /// <summary>Serializer settings for options objects (camelCase, enums as strings) used by <see cref="Create{TOptions}"/> and <see cref="GetOptions{TOptions}"/>.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    // Fixed timestamp so identical content gives identical archive bytes.
    private static readonly DateTimeOffset EntryTimestamp = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, TensorData> _tensors;
    private readonly Dictionary<string, byte[]> _blobs;

    /// <summary>Builds an archive in memory; nothing is written until <see cref="Save(string)"/>.</summary>
    /// <param name="componentType">Stable identifier of the component, e.g. "LLMML.Eigenpruning.EigenpruningTransformer".</param>
    /// <param name="componentVersion">The component's own state layout version (≥ 1); bump it when the layout changes.</param>
    /// <param name="optionsJson">The component's options as a JSON value (object, usually); "{}" when there are none.</param>
    /// <param name="tensors">Named arrays.</param>
    /// <param name="blobs">Named extra byte content (vocabularies, text); names may contain '/', not "..".</param>
    /// <param name="sourceName">How errors refer to this archive; set by Load to the file name.</param>
    public ModelArchive(
        string componentType,
        int componentVersion,
        string optionsJson = "{}",
        IReadOnlyDictionary<string, TensorData>? tensors = null,
        IReadOnlyDictionary<string, byte[]>? blobs = null,
        string? sourceName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(componentType);
        ArgumentOutOfRangeException.ThrowIfLessThan(componentVersion, 1);
        ArgumentNullException.ThrowIfNull(optionsJson);
        try
        {
            using var _ = JsonDocument.Parse(optionsJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Options of '{componentType}' are not valid JSON: {e.Message}", nameof(optionsJson), e);
        }
        ComponentType = componentType;
        ComponentVersion = componentVersion;
        OptionsJson = optionsJson;
        _tensors = new Dictionary<string, TensorData>(tensors ?? new Dictionary<string, TensorData>(), StringComparer.Ordinal);
        _blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, bytes) in blobs ?? new Dictionary<string, byte[]>())
        {
            ValidateBlobName(name);
            _blobs[name] = bytes ?? throw new ArgumentNullException(nameof(blobs), $"Blob '{name}' is null.");
        }
        SourceName = sourceName ?? $"archive of {componentType}";
    }

    /// <summary>Builds an archive whose options are <paramref name="options"/> serialized with <see cref="JsonOptions"/>.</summary>
    public static ModelArchive Create<TOptions>(
        string componentType,
        int componentVersion,
        TOptions options,
        IReadOnlyDictionary<string, TensorData>? tensors = null,
        IReadOnlyDictionary<string, byte[]>? blobs = null) =>
        new(componentType, componentVersion, JsonSerializer.Serialize(options, JsonOptions), tensors, blobs);

    /// <summary>Identifier of the component that wrote the archive.</summary>
    public string ComponentType { get; }

    /// <summary>The component's state layout version.</summary>
    public int ComponentVersion { get; }

    /// <summary>The component's options, as JSON text.</summary>
    public string OptionsJson { get; }

    /// <summary>Named arrays.</summary>
    public IReadOnlyDictionary<string, TensorData> Tensors => _tensors;

    /// <summary>Named extra content.</summary>
    public IReadOnlyDictionary<string, byte[]> Blobs => _blobs;

    /// <summary>The file (or description) errors name.</summary>
    public string SourceName { get; }

    /// <summary>Deserializes the options; a mismatch throws <see cref="InvalidDataException"/> naming the archive.</summary>
    public TOptions GetOptions<TOptions>()
    {
        try
        {
            return JsonSerializer.Deserialize<TOptions>(OptionsJson, JsonOptions)
                ?? throw new InvalidDataException($"{SourceName}: options are null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{SourceName}: options do not fit {typeof(TOptions).Name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// A tensor that must exist with the given dtype and (optionally) shape; -1 in
    /// <paramref name="shape"/> matches any size. Throws <see cref="InvalidDataException"/> naming the archive and tensor.
    /// </summary>
    public TensorData GetTensor(string name, TensorDType? dtype = null, params long[]? shape)
    {
        if (!_tensors.TryGetValue(name, out var t))
            throw new InvalidDataException($"{SourceName}: tensor '{name}' is missing (has: {string.Join(", ", _tensors.Keys.Order(StringComparer.Ordinal))}).");
        if (dtype is { } want && t.DType != want)
            throw new InvalidDataException($"{SourceName}: tensor '{name}' is {t.DType}, expected {want}.");
        if (shape is { Length: > 0 })
        {
            bool ok = shape.Length == t.Shape.Count;
            for (int i = 0; ok && i < shape.Length; i++) ok = shape[i] < 0 || shape[i] == t.Shape[i];
            if (!ok)
                throw new InvalidDataException($"{SourceName}: tensor '{name}' has shape {t.ShapeText}, expected [{string.Join(", ", shape.Select(d => d < 0 ? "*" : d.ToString()))}].");
        }
        return t;
    }

    /// <summary>A blob that must exist; throws <see cref="InvalidDataException"/> naming the archive and blob.</summary>
    public byte[] GetBlob(string name) =>
        _blobs.TryGetValue(name, out var b) ? b : throw new InvalidDataException($"{SourceName}: blob '{name}' is missing.");

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> unless the archive was written by <paramref name="componentType"/>
    /// with a state version in [<paramref name="minVersion"/>, <paramref name="maxVersion"/>].
    /// </summary>
    public ModelArchive RequireComponent(string componentType, int minVersion, int maxVersion)
    {
        if (!string.Equals(ComponentType, componentType, StringComparison.Ordinal))
            throw new InvalidDataException($"{SourceName}: holds a '{ComponentType}', not a '{componentType}'.");
        if (ComponentVersion < minVersion || ComponentVersion > maxVersion)
            throw new InvalidDataException(
                $"{SourceName}: '{componentType}' state version {ComponentVersion} is not supported (this build reads {minVersion}..{maxVersion})" +
                (ComponentVersion > maxVersion ? "; it was written by a newer LLMML." : "."));
        return this;
    }

    /// <summary>Writes atomically: a temporary file in the same folder, flushed, then renamed over <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, Save);
    }

    /// <summary>Writes the zip to <paramref name="stream"/> (left open).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var payload = new List<(string Entry, string Kind, byte[] Bytes)>
        {
            (TensorsEntry, "tensors", SafetensorsFormat.Write(_tensors)),
        };
        foreach (var (name, bytes) in _blobs.OrderBy(p => p.Key, StringComparer.Ordinal))
            payload.Add((BlobPrefix + name, "blob", bytes));

        var manifest = new JsonObject
        {
            ["format"] = FormatName,
            ["formatVersion"] = FormatVersion,
            ["componentType"] = ComponentType,
            ["componentVersion"] = ComponentVersion,
            ["options"] = JsonNode.Parse(OptionsJson),
            ["entries"] = new JsonArray(payload.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Entry,
                ["kind"] = p.Kind,
                ["length"] = p.Bytes.LongLength,
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(p.Bytes)),
            }).ToArray()),
        };

        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { WriteIndented = true }), CompressionLevel.Optimal);
        foreach (var p in payload)
            WriteEntry(zip, p.Entry, p.Bytes, CompressionLevel.Fastest);
    }

    /// <summary>Saves to a byte array.</summary>
    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        Save(ms);
        return ms.ToArray();
    }

    /// <summary>Loads and fully validates the archive at <paramref name="path"/>.</summary>
    public static ModelArchive Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model archive '{path}' does not exist.", path);
        using var fs = File.OpenRead(path);
        return Load(fs, path);
    }

    /// <summary>Loads and fully validates an archive read from <paramref name="stream"/>; errors name <paramref name="sourceName"/>.</summary>
    public static ModelArchive Load(Stream stream, string sourceName = "model archive")
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            return Read(zip, sourceName);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(sourceName, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{sourceName}: not a readable zip archive ({e.Message}).", e);
        }
    }

    /// <summary>Loads from bytes (see <see cref="Load(Stream, string)"/>).</summary>
    public static ModelArchive FromBytes(byte[] bytes, string sourceName = "model archive")
    {
        using var ms = new MemoryStream(bytes, writable: false);
        return Load(ms, sourceName);
    }

    private static ModelArchive Read(ZipArchive zip, string source)
    {
        var zipEntries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var e in zip.Entries)
            if (!zipEntries.TryAdd(e.FullName, e)) throw Bad(source, e.FullName, "appears twice in the zip.");

        if (!zipEntries.TryGetValue(ManifestEntry, out var manifestEntry))
            throw Bad(source, ManifestEntry, "is missing; this is not an LLMML model archive.");
        var manifestBytes = ReadEntry(source, manifestEntry, 16L * 1024 * 1024);

        JsonNode? manifest;
        try
        {
            manifest = JsonNode.Parse(manifestBytes);
        }
        catch (JsonException e)
        {
            throw Bad(source, ManifestEntry, $"is not valid JSON: {e.Message}", e);
        }
        if (manifest is not JsonObject m) throw Bad(source, ManifestEntry, "is not a JSON object.");

        var format = GetString(source, m, "format");
        if (format != FormatName)
            throw Bad(source, ManifestEntry, $"declares format '{format}', expected '{FormatName}'.");
        var formatVersion = GetInt(source, m, "formatVersion");
        if (formatVersion > FormatVersion)
            throw Bad(source, ManifestEntry, $"has format version {formatVersion}, newer than the {FormatVersion} this build reads; upgrade LLMML.");
        if (formatVersion < 1)
            throw Bad(source, ManifestEntry, $"has invalid format version {formatVersion}.");
        var componentType = GetString(source, m, "componentType");
        var componentVersion = GetInt(source, m, "componentVersion");
        if (componentVersion < 1) throw Bad(source, ManifestEntry, $"has invalid component version {componentVersion}.");
        var optionsJson = m["options"]?.ToJsonString() ?? throw Bad(source, ManifestEntry, "has no 'options'.");
        if (m["entries"] is not JsonArray entries) throw Bad(source, ManifestEntry, "has no 'entries' array.");

        CheckDecompressedSize(source, entries, zipEntries);
        var listed = new HashSet<string>(StringComparer.Ordinal) { ManifestEntry };
        IReadOnlyDictionary<string, TensorData>? tensors = null;
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var node in entries)
        {
            if (node is not JsonObject e) throw Bad(source, ManifestEntry, "has an entry that is not an object.");
            var name = GetString(source, e, "name");
            var kind = GetString(source, e, "kind");
            var length = GetLong(source, e, "length");
            var sha = GetString(source, e, "sha256");
            if (!listed.Add(name)) throw Bad(source, name, "is listed twice in the manifest.");
            if (!zipEntries.TryGetValue(name, out var zipEntry)) throw Bad(source, name, "is listed in the manifest but missing from the zip.");
            if (zipEntry.Length != length) throw Bad(source, name, $"is {zipEntry.Length} bytes but the manifest says {length}.");
            var bytes = ReadEntry(source, zipEntry, length);
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
                throw Bad(source, name, $"fails its checksum (SHA-256 {actual}, manifest {sha}); the file is corrupt.");
            switch (kind)
            {
                case "tensors" when name == TensorsEntry:
                    tensors = SafetensorsFormat.Read(bytes, $"{source} [{name}]").Tensors;
                    break;
                case "blob" when name.StartsWith(BlobPrefix, StringComparison.Ordinal):
                    var blobName = name[BlobPrefix.Length..];
                    try
                    {
                        ValidateBlobName(blobName);
                    }
                    catch (ArgumentException ex)
                    {
                        throw Bad(source, name, ex.Message, ex);
                    }
                    blobs[blobName] = bytes;
                    break;
                default:
                    throw Bad(source, name, $"has unknown kind '{kind}' for its name.");
            }
        }
        foreach (var name in zipEntries.Keys)
            if (!listed.Contains(name)) throw Bad(source, name, "is in the zip but not in the manifest.");
        if (tensors is null) throw Bad(source, TensorsEntry, "is missing.");

        try
        {
            return new ModelArchive(componentType, componentVersion, optionsJson, tensors, blobs, source);
        }
        catch (ArgumentException e)
        {
            throw Bad(source, ManifestEntry, e.Message, e);
        }
    }

    /// <summary>
    /// Most bytes all entries of one archive may decompress to; null (default) = 4 GiB or half the memory available to the
    /// process, whichever is smaller. Raise it to load larger models.
    /// </summary>
    public static long? MaxTotalBytes { get; set; }

    // Deflate cannot shrink real tensor bytes much (about 1.1:1); a large entry squeezed more than this is a zip bomb.
    private const long MaxCompressionRatio = 100, RatioCheckedAbove = 16L << 20;

    // Declared sizes are checked before anything is decompressed, so a small file cannot make the process allocate gigabytes.
    private static void CheckDecompressedSize(string source, JsonArray entries, Dictionary<string, ZipArchiveEntry> zipEntries)
    {
        var limit = MaxTotalBytes ?? Math.Min(4L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
        long total = 0;
        foreach (var entry in zipEntries.Values)
        {
            if (entry.Length > RatioCheckedAbove && entry.Length > MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                throw Bad(source, entry.FullName,
                    $"decompresses {entry.CompressedLength} bytes to {entry.Length}, more than {MaxCompressionRatio}:1; refusing what looks like a zip bomb.");
            total = entry.Length > long.MaxValue - total ? long.MaxValue : total + entry.Length;
        }
        if (total > limit)
            throw new InvalidDataException(
                $"{source}: its {entries.Count} entries decompress to {total} bytes, more than the {limit} allowed (ModelArchive.MaxTotalBytes).");
    }

    private static byte[] ReadEntry(string source, ZipArchiveEntry entry, long maxLength)
    {
        if (entry.Length > maxLength || entry.Length > Array.MaxLength)
            throw Bad(source, entry.FullName, $"is {entry.Length} bytes, more than the {maxLength} allowed.");
        var buffer = new byte[entry.Length];
        try
        {
            using var s = entry.Open();
            s.ReadExactly(buffer);
            if (s.ReadByte() != -1) throw Bad(source, entry.FullName, "holds more bytes than its header declares.");
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException && !e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw Bad(source, entry.FullName, $"cannot be decompressed: {e.Message}", e);
        }
        return buffer;
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] bytes, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = EntryTimestamp;
        using var s = entry.Open();
        s.Write(bytes);
    }

    private static void ValidateBlobName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.StartsWith('/') || name.EndsWith('/') || name.Contains('\\')
            || name.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"'{name}' is not a valid blob name (use relative names like 'vocab.json' or 'tokenizer/merges.txt').");
    }

    private static string GetString(string source, JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad(source, ManifestEntry, $"has no string '{key}'.");

    private static long GetLong(string source, JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<long>(out var n) ? n : throw Bad(source, ManifestEntry, $"has no integer '{key}'.");

    private static int GetInt(string source, JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<int>(out var n) ? n : throw Bad(source, ManifestEntry, $"has no integer '{key}'.");

    private static InvalidDataException Bad(string source, string entry, string what, Exception? inner = null) =>
        new($"{source}: entry '{entry}' {what}", inner);
}

using LLMML.Foundation.Progress;

namespace LLMML.Citations.Loading;

/// <summary>One entry point over every loader.</summary>
public static class CitationLoader
{
    /// <summary>Loads <paramref name="path"/> in the given <paramref name="format"/>.</summary>
    public static GraphLoadResult Load(string path, CitationFormat format, CitationLoadOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        if (format == CitationFormat.OpenAlex && OpenAlexSnapshot.IsSnapshot(path)) return OpenAlexSnapshot.Load(path, options, progress, cancellationToken);
        if (!File.Exists(path)) throw new FileNotFoundException($"Citation input '{path}' does not exist.", path);
        return format switch
        {
            CitationFormat.Cora when path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) => CoraDataset.Read(path).Load,
            CitationFormat.Cora => CoraCitesLoader.Load(path, options?.CoraLabelsPath ?? Sibling(path, "cora.npz"), cancellationToken),
            CitationFormat.S2 => SemanticScholarLoader.Load(path, options, progress, cancellationToken),
            CitationFormat.S2orc => S2orcLoader.Load(path, options, progress, cancellationToken),
            CitationFormat.OpenAlex => OpenAlexLoader.Load(path, options, progress, cancellationToken),
            CitationFormat.Parquet => Interchange.CitationParquet.ReadGraph(path, options?.VerticesPath, cancellationToken, progress),
            CitationFormat.EdgeList => EdgeListLoader.Load(path, progress, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown citation format."),
        };
    }

    /// <summary>Parses a format name as the CLI spells it (cora, s2, s2orc, openalex, parquet, edgelist).</summary>
    public static CitationFormat ParseFormat(string name) => name.ToLowerInvariant() switch
    {
        "cora" => CitationFormat.Cora,
        "s2" or "semanticscholar" => CitationFormat.S2,
        "s2orc" => CitationFormat.S2orc,
        "openalex" => CitationFormat.OpenAlex,
        "parquet" => CitationFormat.Parquet,
        "edgelist" => CitationFormat.EdgeList,
        _ => throw new ArgumentException($"Unknown citation format '{name}': use cora, s2, s2orc, openalex, parquet or edgelist.", nameof(name)),
    };

    private static string? Sibling(string path, string name)
    {
        var candidate = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", name);
        return File.Exists(candidate) ? candidate : null;
    }
}

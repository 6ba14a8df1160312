using System.CommandLine;
using LLMML.Citations.Features;
using LLMML.Citations.Loading;
using LLMML.Foundation.Progress;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>Options the citation commands share, and the small glue between them and the library.</summary>
internal static class CitationsCliOptions
{
    public static Option<FileInfo> Input() => new("--input", "-i") { Description = "Citation data file.", Required = true };

    public static Option<string> Format() => new("--format", "-f")
    {
        Description = "Input format: cora (cora.cites or cora.npz), s2 (Semantic Scholar Graph API JSON/JSONL), s2orc, openalex (a works file, or a snapshot folder), parquet (an edge list; see --vertices).",
        Required = true,
    };

    public static Option<string?> FieldColumn() => new("--field-column")
    {
        Description = "Record property holding each paper's field/track (dotted path for nested objects). Default: the format's own (S2 fieldsOfStudy, S2ORC mag_field_of_study, OpenAlex primary topic field, Cora class).",
    };

    public static Option<string?> Features() => new("--features")
    {
        Description = "Comma-separated feature groups: counts, citationsperyear, pagerank, hits, corenumber, betweenness, clustering, fieldshares, referencefieldshares, citingfieldshares, intents, all, allbutbetweenness (default all).",
    };

    public static Option<int?> BetweennessSamples() => new("--betweenness-samples")
    {
        Description = "Sampled betweenness sources (default: exact up to 5,000 papers, else 500).",
    };

    public static Option<int> Seed() => new("--seed") { Description = "Seed for sampled betweenness sources.", DefaultValueFactory = _ => 42 };

    public static Option<string[]> TargetFields() => new("--target-field")
    {
        Description = "Field whose reference share is computed (repeatable; default every field).",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<FileInfo?> Vertices() => new("--vertices")
    {
        Description = "With --format parquet: the vertex file (id, year, field) written beside the edge list.",
    };

    public static GraphLoadResult Load(FileInfo input, string format, string? fieldColumn, FileInfo? vertices, IProgress<ProgressUpdate>? progress, CancellationToken ct) =>
        CitationLoader.Load(input.FullName, CitationLoader.ParseFormat(format),
            new CitationLoadOptions { FieldProperty = fieldColumn, VerticesPath = vertices?.FullName }, progress, ct);

    /// <summary>
    /// Refuses, before any work, an output that is a directory or that resolves (after symbolic links, also in parent
    /// folders) to one of the inputs. Returns the output's full path.
    /// </summary>
    /// <remarks>The reliability branch adds <c>LLMML.Foundation.Persistence.OutputPath.CheckFile</c>, the shared guard; this
    /// one is meant to be replaced by it when both land.</remarks>
    public static string CheckOutput(string output, params string?[] inputs)
    {
        var full = Resolve(output);
        if (Directory.Exists(full)) throw new IOException($"Output '{output}' is a directory; give a file name.");
        foreach (var input in inputs)
            if (input is not null && string.Equals(Resolve(input), full, StringComparison.Ordinal))
                throw new IOException($"Output '{output}' is the input '{input}'; writing it would destroy the input.");
        return Path.GetFullPath(output);
    }

    // The path with every symbolic link on the way resolved; missing trailing parts are kept as written.
    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            var info = new FileInfo(next);
            var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
            current = target is null ? next : Resolve(target.FullName);
        }
        return current;
    }

    public static CitationFeatureKinds ParseKinds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return CitationFeatureKinds.All;
        var kinds = CitationFeatureKinds.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            kinds |= Enum.TryParse<CitationFeatureKinds>(part, ignoreCase: true, out var k) ? k
                : throw new ArgumentException($"Unknown feature group '{part}'; use {string.Join(", ", Enum.GetNames<CitationFeatureKinds>().Skip(1))}.");
        return kinds;
    }

    /// <summary>Prints each new stage to stderr, so stdout stays clean for --json.</summary>
    public static void PrintDiagnostics(LoadDiagnostics d, int nodes, int edges)
    {
        var table = new Table().AddColumns("input", "value");
        table.AddRow("papers", nodes.ToString("N0"));
        table.AddRow("citations (citing → cited)", edges.ToString("N0"));
        table.AddRow("records read", d.Records.ToString("N0"));
        table.AddRow("malformed records", d.MalformedCount.ToString("N0"));
        table.AddRow("duplicate records merged", d.DuplicateRecords.ToString("N0"));
        table.AddRow("duplicate edges merged", d.DuplicateEdges.ToString("N0"));
        table.AddRow("self-citations dropped", d.SelfCitations.ToString("N0"));
        table.AddRow("unresolved links", d.UnresolvedLinks.ToString("N0"));
        AnsiConsole.Write(table);
        foreach (var m in d.Malformed.Take(10)) AnsiConsole.MarkupLineInterpolated($"[yellow]{(m.File is null ? "" : m.File + " ")}line {m.Line}[/]: {m.Message}");
        if (d.MalformedCount > 10) AnsiConsole.MarkupLineInterpolated($"[yellow]… and {d.MalformedCount - 10} more malformed records[/]");
    }
}
